// What a user installs: each runtime package, packed as `pnpm publish` would pack it, installed in
// a project of its own next to nothing but its declared dependencies, must import under plain Node
// and expose exactly the runtime exports of its source.
import { execFile, execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumerExample } from "../consumer-example.ts";
import { checkPackageContents } from "../package-contents.ts";

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  engines?: Record<string, string>;
}

const root = join(import.meta.dirname, "..", "..");
const RUNTIME = ["core", "cache", "memory", "response", "monitor"];
const work = mkdtempSync(join(tmpdir(), "perflayer-packed-"));
const tarballs = new Map<string, string>();

const manifestOf = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;

beforeAll(async () => {
  execFileSync(
    "pnpm",
    [
      "exec",
      "turbo",
      "run",
      "build",
      "--output-logs=errors-only",
      ...RUNTIME.map((p) => `--filter=@perflayer/${p}`),
    ],
    { cwd: root, stdio: "pipe" },
  );
  // The five packs at once: each is mostly pnpm's own start-up (the P0 suite's longest file).
  const packed = await Promise.all(
    RUNTIME.map((name) =>
      promisify(execFile)("pnpm", ["pack", "--pack-destination", work, "--json"], {
        cwd: join(root, "packages", name),
        encoding: "utf8",
      }),
    ),
  );
  RUNTIME.forEach((name, i) => {
    const out = packed[i]?.stdout ?? "{}";
    tarballs.set(`@perflayer/${name}`, (JSON.parse(out) as { filename: string }).filename);
  });
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Installs `name` alone: its tarball, its workspace dependencies' tarballs, its other dependencies. */
function installAlone(name: string): string {
  const project = join(work, name.replace("/", "__"));
  if (existsSync(project)) return project; // installed by an earlier test
  const modules = join(project, "node_modules");
  mkdirSync(join(modules, "@perflayer"), { recursive: true });
  const pending = [name];
  const installed = new Set<string>();
  while (pending.length > 0) {
    const next = pending.pop() as string;
    if (installed.has(next)) continue;
    installed.add(next);
    const target = join(modules, next);
    mkdirSync(target, { recursive: true });
    execFileSync("tar", [
      "-xzf",
      tarballs.get(next) as string,
      "-C",
      target,
      "--strip-components=1",
    ]);
    const source = join(root, "packages", next.replace("@perflayer/", ""));
    for (const dep of Object.keys(manifestOf(target).dependencies ?? {})) {
      if (tarballs.has(dep)) pending.push(dep);
      // A third-party dependency: the copy the workspace resolved for this package.
      else symlinkSync(realpathSync(join(source, "node_modules", dep)), join(modules, dep));
    }
  }
  return project;
}

describe("packed runtime packages", () => {
  it.each(RUNTIME)(
    "P0 «npm i @perflayer/%s» works alone: the packed package imports with only its declared dependencies and exports what its source exports",
    { tags: ["p0"] },
    async (short) => {
      const name = `@perflayer/${short}`;
      const project = installAlone(name);
      const packed = execFileSync(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `console.log(JSON.stringify(Object.keys(await import("${name}")).sort()))`,
        ],
        { cwd: project, encoding: "utf8" },
      );
      // The source entry point, read the way the workspace's own tests read it.
      const entry = join(root, "packages", short, "src", "index.ts");
      const source = Object.keys((await import(entry)) as object).sort();
      expect(source.length).toBeGreaterThan(0);
      expect(JSON.parse(packed)).toEqual(source);
    },
  );

  it.each(RUNTIME)(
    "the packed @perflayer/%s carries the MIT LICENSE, maps that resolve to its shipped TypeScript source, and works with require()",
    (short) => {
      const name = `@perflayer/${short}`;
      const project = installAlone(name);
      const licence = readFileSync(join(root, "LICENSE"), "utf8");
      expect(licence).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} perflayer contributors\n/);
      const contents = checkPackageContents(join(project, "node_modules", name), licence);
      expect(contents.problems).toEqual([]);
      expect(contents.maps).toBeGreaterThan(0);
      // CommonJS consumers: require() of ES modules, on the Node versions `engines` names.
      expect(manifestOf(join(project, "node_modules", name)).engines).toEqual({
        node: "^20.19.0 || >=22.12.0",
      });
      if (process.features.require_module === true) {
        const required = execFileSync(
          process.execPath,
          ["-e", `console.log(Object.keys(require("${name}")).length)`],
          { cwd: project, encoding: "utf8" },
        );
        expect(Number(required)).toBeGreaterThan(0);
      }
    },
  );

  it("the root README opens with a consumer's example that runs against the installed package and prints what it shows, then how to try the tarballs, then the contributor loop", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections.slice(0, 3)).toEqual([
      "Use a package",
      "Try the packages before they are published",
      "Quick start",
    ]);
    const example = consumerExample(readme);
    expect(example?.install).toMatch(/^@perflayer\//);
    if (example === undefined) return;
    const project = installAlone(example.install);
    writeFileSync(join(project, "readme-example.mjs"), example.code);
    const printed = execFileSync(process.execPath, ["readme-example.mjs"], {
      cwd: project,
      encoding: "utf8",
    });
    expect(printed).toBe(example.output);
  });
});
