// Get-or-compute through small accessors of the file's own store: a module function that writes
// (and bounds) the store under the key it is given, and a pair of methods that read and write a
// shared cache under one fixed key around a database read.
// expect: caching/cache-invalidate 21-21 elim 1 "empties"
// expect: caching/memoize 25-31 elim 4 "writes `rememberPattern(glob, compiled)` on a miss"
// expect: caching/cache-aside 50-58 elim 6 "writes `this.putCachedConfig(config)` on a miss"
interface Compiled {
  source: string;
  test(url: string): boolean;
}

declare function compileGlob(glob: string): Compiled;

const patterns = new Map<string, Compiled>();
const MAX_PATTERNS = 500;

function rememberPattern(glob: string, compiled: Compiled): void {
  patterns.set(glob, compiled);
  if (patterns.size > MAX_PATTERNS) {
    const oldest = patterns.keys().next().value;
    if (oldest !== undefined) patterns.delete(oldest);
  }
}

export function patternFor(glob: string): Compiled {
  const known = patterns.get(glob);
  if (known) return known;
  const compiled = compileGlob(glob.trim());
  rememberPattern(glob, compiled);
  return compiled;
}

interface SharedCache {
  get(key: string): Promise<Record<string, unknown> | undefined>;
  put(key: string, value: Record<string, unknown>, ttl: number): Promise<void>;
}

interface Database {
  findOne(table: string, id: string): Promise<Record<string, unknown> | undefined>;
}

export class ConfigController {
  private readonly configKey = "config";

  constructor(
    private readonly cache: SharedCache,
    private readonly db: Database,
  ) {}

  async getConfig(): Promise<Record<string, unknown>> {
    const cached = await this.getCachedConfig();
    if (cached) {
      return cached;
    }
    const config = (await this.db.findOne("_Config", "1")) ?? {};
    this.putCachedConfig(config);
    return config;
  }

  getCachedConfig(): Promise<Record<string, unknown> | undefined> {
    return this.cache.get(this.configKey);
  }

  putCachedConfig(config: Record<string, unknown>): Promise<void> {
    return this.cache.put(this.configKey, config, 60_000);
  }
}
