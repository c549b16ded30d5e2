// A test that resets a memo between cases: its mention does not make the reset the program's.
// expect: none
import { currentHost, resetHostnameCache } from "./cache-invalidate-test-only-reset.js";

export function freshHost(): string {
  resetHostnameCache();
  return currentHost();
}
