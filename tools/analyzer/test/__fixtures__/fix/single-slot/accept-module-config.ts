import { readFileSync } from "node:fs";

interface Config {
  readonly port: number;
}

let config: Config | undefined;

export function getConfig(): Config {
  if (!config) {
    const text = readFileSync("config.json", "utf8");
    config = JSON.parse(text) as Config;
  }
  return config;
}

export function reloadConfig(): void {
  config = undefined;
}
