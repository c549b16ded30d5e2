// The root config serves `pnpm test:p0`: every workspace project at once, only the tests tagged
// `p0` (the critical guarantees). `pnpm test` runs each package's own config through turbo.
import { defineConfig } from "vitest/config";
import { tags } from "./vitest.shared.ts";

export default defineConfig({
  test: {
    tags,
    projects: [
      "packages/*/vitest.config.ts",
      "tools/*/vitest.config.ts",
      "examples/*/vitest.config.ts",
      "scripts/vitest.config.ts",
    ],
  },
});
