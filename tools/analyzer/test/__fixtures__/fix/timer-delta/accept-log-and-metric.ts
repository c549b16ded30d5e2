// Two timed functions: a log line in milliseconds and a metric in seconds.
import { readFile } from "node:fs/promises";

const durations: number[] = [];

export async function loadConfig(path: string): Promise<string> {
  const started = Date.now();
  const text = await readFile(path, "utf8");
  console.log(`config read in ${Date.now() - started} ms`);
  return text;
}

export function parseRows(text: string): string[] {
  const t0 = performance.now();
  const rows = text.split("\n");
  durations.push((performance.now() - t0) / 1000);
  return rows;
}
