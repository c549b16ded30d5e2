import { perflayerProject } from "../../vitest.shared.ts";

// Two test files at a time (vitest's default is one less than the cores: one on a 2-core CI
// machine). instructions.test.ts spends minutes in a single-threaded valgrind child; run alone
// after the other files it left a core idle at the end of `pnpm test`, the step's long pole.
// A project with its own maxWorkers needs a group of its own when the root runs every project
// (`pnpm test:p0`): it runs after the others there.
export default perflayerProject("bench-gate", {
  test: { maxWorkers: 2, sequence: { groupOrder: 1 } },
});
