import { readFileSync } from "node:fs";

let locale: { tag: string } | undefined;

export function getLocale(): { tag: string } {
  if (!locale) {
    const text = readFileSync("locale.json", "utf8");
    locale = JSON.parse(text) as { tag: string };
  }
  return locale;
}

export function setLocale(next: { tag: string }): void {
  locale = next;
}
