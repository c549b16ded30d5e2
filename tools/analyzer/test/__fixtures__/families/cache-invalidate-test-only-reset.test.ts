// A test that resets a memo between cases: its mention does not make the reset the program's.
// expect: none
import { hostname } from "node:os";
import { beforeEach, describe, expect, it } from "vitest";
import { currentHost, resetHostnameCache } from "./cache-invalidate-test-only-reset.js";

describe("currentHost", () => {
  beforeEach(() => {
    resetHostnameCache();
  });

  it("reads the machine's name in lower case", () => {
    expect(currentHost()).toBe(hostname().toLowerCase());
  });
});
