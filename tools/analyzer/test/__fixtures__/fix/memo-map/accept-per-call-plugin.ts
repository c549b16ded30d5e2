// A memo made per call of a plugin's apply: one store per compilation.
export class SlugPlugin {
  apply(titles: readonly string[]): string[] {
    const slugs = new Map<string, string>();
    const slugOf = (title: string): string => {
      const cached = slugs.get(title);
      if (cached !== undefined) return cached;
      const slug = title.trim().toLowerCase().replace(/\s+/g, "-");
      slugs.set(title, slug);
      return slug;
    };
    return titles.map(slugOf);
  }
}
