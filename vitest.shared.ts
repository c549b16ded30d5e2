// Shared vitest settings for every workspace project: tests read workspace packages from source
// through the `@perflayer/source` export condition (STYLE rule 2), so they never wait on a build.
import { defineProject, mergeConfig } from "vitest/config";
import type { UserWorkspaceConfig } from "vitest/config";

const conditions = ["@perflayer/source", "node", "import", "module", "default"];

/**
 * The vitest project config of one workspace package.
 * @param name - the project name shown in reports
 * @param overrides - extra settings merged on top
 */
export function perflayerProject(
  name: string,
  overrides: UserWorkspaceConfig = {},
): UserWorkspaceConfig {
  return mergeConfig(
    defineProject({
      resolve: { conditions },
      ssr: { resolve: { conditions, externalConditions: ["@perflayer/source"] } },
      test: {
        name,
        include: ["test/**/*.test.ts"],
        exclude: ["**/node_modules/**", "**/__fixtures__/**"],
        typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
      },
    }),
    overrides,
  );
}
