// Runs the "## Example" block of every package README, so the documented example stays runnable.
// Usage: pnpm exec tsx scripts/readme-examples.ts   (part of `pnpm check`)
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const roots = ["packages", "tools"];
let failed = 0;
let ran = 0;
for (const root of roots) {
  if (!existsSync(root)) continue;
  for (const name of readdirSync(root)) {
    const readme = join(root, name, "README.md");
    if (!existsSync(readme)) continue;
    const match = /## Example\n\n```ts\n([\s\S]*?)```/.exec(readFileSync(readme, "utf8"));
    if (match?.[1] === undefined) continue;
    const file = join(root, name, ".readme-example.tmp.ts");
    writeFileSync(file, match[1]);
    try {
      execFileSync(process.execPath, [join("node_modules", "tsx", "dist", "cli.mjs"), file], {
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 60_000,
      });
      ran++;
      console.log(`ok   ${readme}`);
    } catch (error) {
      failed++;
      const { stderr, stdout } = error as { stderr?: Buffer; stdout?: Buffer };
      console.error(`FAIL ${readme}\n${String(stdout ?? "")}${String(stderr ?? "")}`);
    } finally {
      rmSync(file, { force: true });
    }
  }
}
console.log(`README examples: ${ran} ran, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
