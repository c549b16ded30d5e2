// The last loaded result is kept and served when the caller asks for the stored value.
// expect: caching/cache-aside 17-21 elim 4 "served when the caller asks"
// expect: caching/cache-aside 26-28 elim 2 "served when the caller asks"
interface Api {
  info(name: string): Promise<{ name: string; count: number }>;
}

export class Consumer {
  #info: { name: string; count: number } | undefined;

  constructor(
    private readonly api: Api,
    private readonly name: string,
  ) {}

  async info(cached = false): Promise<{ name: string; count: number } | undefined> {
    if (cached) {
      return this.#info;
    }
    const info = await this.api.info(this.name);
    this.#info = info;
    return info;
  }

  refresh(cached = false): Promise<{ name: string; count: number } | undefined> {
    if (cached) return Promise.resolve(this.#info);
    return this.api.info(this.name).then((fresh) => {
      this.#info = fresh;
      return fresh;
    });
  }

  label(): string {
    return `consumer ${this.name}`;
  }
}
