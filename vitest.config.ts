// The root config serves `pnpm test:p0`: every workspace project at once, only the tests tagged
// `p0` (the critical guarantees). `pnpm test` runs each package's own config through turbo; the
// type tests (`*.test-d.ts`) run there, so this run leaves them out to stay under a minute.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import type { TestProjectConfiguration } from "vitest/config";
import { tags } from "./vitest.shared.ts";

const root = import.meta.dirname;
const projectDirs = [
  ...["packages", "tools", "examples"].flatMap((group) =>
    readdirSync(join(root, group)).map((name) => join(group, name)),
  ),
  "scripts",
].filter((dir) => existsSync(join(root, dir, "vitest.config.ts")));

const projects: TestProjectConfiguration[] = projectDirs.map((dir) => ({
  extends: join(root, dir, "vitest.config.ts"),
  root: join(root, dir),
  test: { typecheck: { enabled: false } },
}));

export default defineConfig({ test: { tags, projects } });
