import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadTsSettings } from "./tsconfig.js";
import type { TsSettings, TsconfigProblem } from "./tsconfig.js";

/**
 * The compiler settings that apply to each file: those of the nearest tsconfig.json above it (up to
 * the root), each tsconfig loaded once; its problems are kept to be reported once.
 */
export class TsconfigIndex {
  readonly #root: string;
  readonly #byDir = new Map<string, string | undefined>();
  readonly #settings = new Map<string | undefined, TsSettings>();
  readonly #problems: TsconfigProblem[] = [];

  /** @param root - the highest folder searched */
  constructor(root: string) {
    this.#root = root;
  }

  /**
   * The settings for a file.
   * @param file - an absolute path
   * @returns the settings (TypeScript's defaults when no tsconfig applies)
   */
  settingsFor(file: string): TsSettings {
    const config = this.#nearest(dirname(file));
    let settings = this.#settings.get(config);
    if (settings === undefined) {
      const loaded = loadTsSettings(config);
      settings = loaded.settings;
      this.#problems.push(...loaded.problems);
      this.#settings.set(config, settings);
    }
    return settings;
  }

  /** @returns every problem of the tsconfigs loaded so far, each once */
  get problems(): readonly TsconfigProblem[] {
    const seen = new Set<string>();
    return this.#problems.filter((p) => {
      const key = `${p.file}\u0000${p.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
  }

  #nearest(dir: string): string | undefined {
    if (this.#byDir.has(dir)) return this.#byDir.get(dir);
    const candidate = join(dir, "tsconfig.json");
    const found = existsSync(candidate)
      ? candidate
      : dir === this.#root || dirname(dir) === dir || !dir.startsWith(this.#root)
        ? undefined
        : this.#nearest(dirname(dir));
    this.#byDir.set(dir, found);
    return found;
  }
}
