// `pnpm test`: every package's lint, typecheck and tests (turbo) and the workspace's own tests
// (scripts/test: the packed tarballs, the example services) at the same time. Run one after the
// other, the workspace tests (about 90 s) waited for the slowest package's tests while a core stood
// idle. Exits non-zero when either fails, naming which.
import { spawn } from "node:child_process";

/** Runs a command with the terminal's output; resolves to its exit code. */
function run(command: string, args: readonly string[]): Promise<number> {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: "inherit" });
    child.on("error", (error) => {
      console.error(`could not start ${command}: ${error.message}`);
      done(1);
    });
    child.on("close", (code, signal) => done(code ?? (signal === null ? 1 : 128)));
  });
}

const runs = [
  {
    name: "turbo run lint typecheck test",
    code: run("turbo", ["run", "lint", "typecheck", "test"]),
  },
  { name: "vitest run --root scripts", code: run("vitest", ["run", "--root", "scripts"]) },
];
let failed = false;
for (const { name, code } of runs) {
  const exit = await code;
  if (exit !== 0) {
    console.error(`\`${name}\` failed (exit ${exit})`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
