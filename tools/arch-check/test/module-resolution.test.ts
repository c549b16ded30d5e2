import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ModuleResolver, loadTsSettings, loadWorkspace } from "@perflayer/arch-check";
import type { ImportKind } from "@perflayer/arch-check";

/**
 * One workspace holding every case TypeScript's resolution has: folders with `index` files, a
 * folder with a package.json `main`, `.js`/`.mjs` written for `.ts`/`.mts` files, `exports` with
 * subpath patterns, conditions and a blocked subpath, `imports` (`#x`), `paths`, and a package
 * linked into node_modules (as package managers do) so that TypeScript can find it.
 */
function workspace(moduleResolution: string, type: "module" | "commonjs"): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "arch-resolve-")));
  const write = (path: string, text = "export {};\n"): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write(
    "package.json",
    JSON.stringify({ name: "root", private: true, workspaces: ["packages/*"] }),
  );
  write(
    "packages/lib/package.json",
    JSON.stringify({
      name: "lib",
      type,
      exports: {
        ".": { source: "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" },
        "./plugin/*": { import: "./src/plugins/*.mjs", require: "./src/plugins/*.cjs" },
        "./plugin/internal/*": null,
        "./tools/*.js": "./src/tools/*.js",
        "./package.json": "./package.json",
      },
    }),
  );
  write("packages/lib/src/index.ts");
  write("packages/lib/src/plugins/a.mts");
  write("packages/lib/src/plugins/a.cts");
  write("packages/lib/src/plugins/internal/secret.mts");
  write("packages/lib/src/tools/t.ts");
  write(
    "packages/app/package.json",
    JSON.stringify({
      name: "app",
      type,
      imports: { "#db": "./src/db/index.ts", "#util/*": "./src/util/*.js", "#lib": "lib" },
      dependencies: { lib: "1.0.0" },
    }),
  );
  write(
    "packages/app/tsconfig.json",
    `{
      // as projects write them: comments and trailing commas
      "compilerOptions": {
        "module": "${moduleResolution === "bundler" ? "esnext" : moduleResolution === "node10" ? "commonjs" : moduleResolution}",
        "moduleResolution": "${moduleResolution}",
        "customConditions": ["source"],
        "paths": { "@app/*": ["./src/*"], "@shared": ["./src/shared/main.ts"], },
        "ignoreDeprecations": "6.0",
      },
    }\n`,
  );
  write("packages/app/src/main.ts");
  write("packages/app/src/main.mts");
  write("packages/app/src/main.cts");
  write("packages/app/src/error/index.ts");
  write("packages/app/src/error/errors.ts");
  write("packages/app/src/both.ts");
  write("packages/app/src/both/index.ts");
  write("packages/app/src/js-only.js");
  write("packages/app/src/js-and-index.js");
  write("packages/app/src/js-and-index/index.ts");
  write("packages/app/src/esm.mts");
  write("packages/app/src/legacy.cts");
  write("packages/app/src/component.tsx");
  write("packages/app/src/typed.d.ts");
  write("packages/app/src/main-field/package.json", JSON.stringify({ main: "./lib/entry.js" }));
  write("packages/app/src/main-field/lib/entry.ts");
  write("packages/app/src/db/index.ts");
  write("packages/app/src/util/strings.ts");
  write("packages/app/src/shared/main.ts");
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(join(dir, "packages/lib"), join(dir, "node_modules/lib"));
  return dir;
}

const SPECIFIERS = [
  "./error",
  "./error/",
  "./error/index.js",
  "./error/errors.js",
  "./error/errors",
  "./both",
  "./js-only",
  "./js-only.js",
  "./js-and-index",
  "./esm.mjs",
  "./esm.js",
  "./legacy.cjs",
  "./component.js",
  "./component",
  "./typed",
  "./typed.js",
  "./main-field",
  "./missing",
  "../src/db",
  "lib",
  "lib/plugin/a",
  "lib/plugin/internal/secret",
  "lib/tools/t.js",
  "lib/src/index.ts",
  "lib/package.json",
  "#db",
  "#util/strings",
  "#missing",
  "#lib",
  "@app/error",
  "@app/error/errors.js",
  "@app/db/index.js",
  "@shared",
];

/** TypeScript's own answer: the options from its own tsconfig parser, the mode from its rules. */
function typescriptResolves(
  dir: string,
  moduleResolution: string,
  from: string,
  specifier: string,
  kind: ImportKind,
): string | undefined {
  const configPath = join(dir, "packages/app/tsconfig.json");
  const parsed = ts.parseJsonConfigFileContent(
    ts.readConfigFile(configPath, (path) => ts.sys.readFile(path)).config,
    ts.sys,
    dirname(configPath),
  );
  const options = { ...parsed.options, allowJs: true };
  // As a program decides it: node10 has no modes; elsewhere import() is ESM, require() CommonJS,
  // and a static import follows the importing file's format.
  const mode =
    moduleResolution === "node10"
      ? undefined
      : kind === "dynamic"
        ? ts.ModuleKind.ESNext
        : kind === "require"
          ? ts.ModuleKind.CommonJS
          : ts.getImpliedNodeFormatForFile(from, undefined, ts.sys, options);
  return ts.resolveModuleName(specifier, from, options, ts.sys, undefined, undefined, mode)
    .resolvedModule?.resolvedFileName;
}

describe.each([
  ["node10", "commonjs"],
  ["node16", "module"],
  ["node16", "commonjs"],
  ["nodenext", "module"],
  ["bundler", "module"],
  ["bundler", "commonjs"],
] as const)(
  "resolution agrees with ts.resolveModuleName under moduleResolution %s (package type %s)",
  (moduleResolution, type) => {
    const dir = workspace(moduleResolution, type);
    const resolver = new ModuleResolver(loadWorkspace(dir));
    const { settings, problems } = loadTsSettings(join(dir, "packages/app/tsconfig.json"));

    it("reads the tsconfig as TypeScript does", () => {
      expect(problems).toEqual([]);
      expect(settings.moduleResolution).toBe(moduleResolution);
    });

    it(
      "P0 «resolution is TypeScript's»: every specifier from .ts, .mts and .cts files, imported, import()ed and require()d, lands where ts.resolveModuleName puts it",
      { tags: ["p0"] },
      () => {
        const mismatches: string[] = [];
        for (const file of ["main.ts", "main.mts", "main.cts"]) {
          const from = join(dir, "packages/app/src", file);
          for (const kind of ["static", "dynamic", "require"] as const)
            for (const specifier of SPECIFIERS) {
              const ours = resolver.resolve(specifier, from, settings, kind);
              const theirs = typescriptResolves(dir, moduleResolution, from, specifier, kind);
              const got = ours.kind === "file" ? relative(dir, ours.file) : undefined;
              const want = theirs === undefined ? undefined : relative(dir, theirs);
              if (got !== want)
                mismatches.push(`${file} ${kind} ${specifier}: ours ${got}, tsc ${want}`);
            }
        }
        expect(mismatches).toEqual([]);
      },
    );
  },
);
