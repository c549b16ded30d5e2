// Three memos whose stored local starts as a constant and is worked out on the miss: a loaded
// context that falls back to null on failure, a validity answer taken from whether a probe
// throws, and a page of text gathered with `+=` over a list.
// expect: caching/memoize 10-24 elim 6 "writes `contexts.set(team, context)` on a miss"
// expect: caching/memoize 30-43 elim 4 "writes `validity.set(zone, valid)` on a miss"
// expect: caching/memoize 45-54 elim 5 "writes `pages[lang] = page` on a miss"
import { loadContext, renderEntry, type Context, type Entry } from "./team-store.js";

export async function runForTeams(teams: string[]): Promise<number> {
  const contexts = new Map<string, Context | null>();
  const contextFor = async (team: string): Promise<Context | null> => {
    if (contexts.has(team)) {
      return contexts.get(team) ?? null;
    }
    let context: Context | null = null;
    try {
      context = await loadContext(team);
      if (!context.enabled) context = null;
    } catch {
      context = null;
    }
    contexts.set(team, context);
    return context;
  };
  let ran = 0;
  for (const team of teams) if ((await contextFor(team)) !== null) ran++;
  return ran;
}

const validity = new Map<string, boolean>();

export function isKnownZone(zone: string): boolean {
  if (validity.has(zone)) return validity.get(zone) === true;
  let valid: boolean;
  try {
    Intl.DateTimeFormat(undefined, { timeZone: zone });
    valid = true;
  } catch {
    valid = false;
  }
  validity.set(zone, valid);
  return valid;
}

const pages: Record<string, string> = {};

export function pageFor(lang: string, entries: Entry[]): string {
  if (!pages[lang]) {
    let page = "";
    for (const entry of entries) page += renderEntry(entry, lang);
    pages[lang] = page;
  }
  return pages[lang];
}
