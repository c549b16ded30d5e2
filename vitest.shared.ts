// Shared vitest settings for every workspace project: tests read workspace packages from source
// through the `@perflayer/source` export condition (STYLE rule 2), so they never wait on a build.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";
import type { ViteUserConfig } from "vitest/config";

const conditions = ["@perflayer/source", "node", "import", "module", "default"];

// Node flags that run workspace code from source in a child process — a CLI's real bin in a test
// (`runBin(bin, args, { execArgv: inject("sourceExecArgv") })`): the source condition, and tsx.
const sourceExecArgv = [
  "--conditions=@perflayer/source",
  "--import",
  pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href,
];

declare module "vitest" {
  export interface ProvidedContext {
    /** Node flags that run workspace code from source in a child process (bins in tests). */
    sourceExecArgv: string[];
  }
}

/**
 * The test tags every project knows. `p0` marks the critical guarantees: one test per promise a
 * README makes, run first in CI by `pnpm test:p0` (under a minute), named after the promise it guards.
 */
export const tags = [
  { name: "p0", description: "A critical guarantee a README promises; `pnpm test:p0` runs these." },
];

// `pnpm test:stress` sets PERFLAYER_TEST_REPORT to a folder: each project also writes a JSON report
// there, so the flake hunt can name every failed test.
const reportDir = process.env["PERFLAYER_TEST_REPORT"];

/**
 * The vitest config of one workspace package.
 * @param name - the project name shown in reports
 * @param overrides - extra settings merged on top
 */
export function perflayerProject(name: string, overrides: ViteUserConfig = {}): ViteUserConfig {
  return mergeConfig(
    defineConfig({
      resolve: { conditions },
      ssr: { resolve: { conditions, externalConditions: ["@perflayer/source"] } },
      test: {
        name,
        include: ["test/**/*.test.ts"],
        exclude: ["**/node_modules/**", "**/__fixtures__/**"],
        typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
        tags,
        provide: { sourceExecArgv },
        // Generous bounds: a test's verdict must never depend on how busy the machine is, and a
        // real-GC or real-process test on a loaded 2-core box can take ten times its quiet time.
        testTimeout: 60_000,
        hookTimeout: 60_000,
        ...(reportDir
          ? { reporters: ["default", ["json", { outputFile: join(reportDir, `${name}.json`) }]] }
          : {}),
      },
    }),
    overrides,
  );
}
