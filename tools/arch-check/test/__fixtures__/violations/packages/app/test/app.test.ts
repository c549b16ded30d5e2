import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// A fixture: arch-check reads this file's imports; vitest never collects it (see vitest.shared.ts).
describe("app", () => {
  it("is the @fx/app package", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      name: string;
    };
    expect(manifest.name).toBe("@fx/app");
  });
});
