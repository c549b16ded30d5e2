// A memo that tests `has`, fills on absence (after a step of its compute) and returns `get`.
const slugs = new Map<string, string>();

export function slugOf(title: string): string {
  if (!slugs.has(title)) {
    const lower = title.toLowerCase();
    slugs.set(title, lower.replace(/[^a-z0-9]+/g, "-"));
  }
  return slugs.get(title)!;
}
