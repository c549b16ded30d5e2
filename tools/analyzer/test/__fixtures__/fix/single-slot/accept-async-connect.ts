import { readFile } from "node:fs/promises";

interface Settings {
  readonly region: string;
}

let settings: Settings | undefined;

export async function loadSettings(): Promise<Settings> {
  if (settings === undefined) {
    const text = await readFile("settings.json", "utf8");
    settings = JSON.parse(text) as Settings;
  }
  return settings;
}
