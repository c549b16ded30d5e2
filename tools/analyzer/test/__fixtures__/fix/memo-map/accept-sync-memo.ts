// A module-level memo of a pure computation, keyed by a string.
const slugs = new Map<string, string>();

export function slugify(title: string): string {
  const hit = slugs.get(title);
  if (hit !== undefined) return hit;
  const slug = title
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, "-");
  slugs.set(title, slug);
  return slug;
}
