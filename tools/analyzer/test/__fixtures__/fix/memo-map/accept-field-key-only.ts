// A memo in a private field whose values depend on the key alone: the instances can share one cache.
export class Slugger {
  readonly #slugs = new Map<string, string>();

  slug(title: string): string {
    const hit = this.#slugs.get(title);
    if (hit !== undefined) return hit;
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    this.#slugs.set(title, slug);
    return slug;
  }
}
