// A value defaulted once (`x = x || make()`) and kept until settings are reloaded: lazy
// initialisation, emptied elsewhere but never when it settles — not in-flight sharing.
// expect: none
export class Settings {
  #loaded: Promise<Record<string, string>> | null = null;

  constructor(private readonly read: () => Promise<Record<string, string>>) {}

  async get(name: string): Promise<string | undefined> {
    this.#loaded = this.#loaded || this.read();
    const all = await this.#loaded;
    return all[name];
  }

  reload(): void {
    this.#loaded = null;
  }
}
