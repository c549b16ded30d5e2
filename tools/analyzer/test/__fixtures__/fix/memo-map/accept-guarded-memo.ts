const slugs = new Map<string, string>();

export function slugOf(title: string): string {
  if (title === "") return "untitled";
  const known = slugs.get(title);
  if (known !== undefined) return known;
  const slug = title
    .trim()
    .toLowerCase()
    .replaceAll(/[^a-z0-9]+/g, "-");
  slugs.set(title, slug);
  return slug;
}
