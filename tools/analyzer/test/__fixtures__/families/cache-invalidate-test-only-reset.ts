// A module-level memo with two exported resets. `resetHostnameCache` is used by no source file,
// only by a test (cache-invalidate-test-only-reset.test.ts): test scaffolding, held and silent.
// `forgetTimezone` is called by another source file (cache-invalidate-reset-caller.ts) when the
// zone changes: an invalidation the program performs, reported.
// expect: caching/memoize 11-17 elim 5 "computed and stored otherwise"
// expect: caching/cache-invalidate 25-27 elim 3 "empties `zone = undefined;`"
// expect: caching/memoize 29-35 elim 5 "computed and stored otherwise"
import { hostname } from "node:os";
let host: string | undefined;

export function currentHost(): string {
  if (host !== undefined) {
    return host;
  }
  host = hostname().toLowerCase();
  return host;
}

export function resetHostnameCache(): void {
  host = undefined;
}

let zone: string | undefined;

export function forgetTimezone(): void {
  zone = undefined;
}

export function timezone(): string {
  if (zone !== undefined) {
    return zone;
  }
  zone = Intl.DateTimeFormat().resolvedOptions().timeZone.toLowerCase();
  return zone;
}
