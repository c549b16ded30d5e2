// Calls one of the resets of cache-invalidate-test-only-reset.ts (the near miss kept there).
// expect: none
import { forgetTimezone, timezone } from "./cache-invalidate-test-only-reset.js";

export function onZoneChange(): string {
  forgetTimezone();
  return timezone();
}
