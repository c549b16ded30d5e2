// Cache-aside over a load: the stored value when there is one, else load, store, return.
import { readFile } from "node:fs/promises";

const templates = new Map<string, string>();

export async function template(name: string): Promise<string> {
  if (templates.has(name)) return templates.get(name)!;
  const text = await readFile(`templates/${name}.html`, "utf8");
  templates.set(name, text);
  return text;
}
