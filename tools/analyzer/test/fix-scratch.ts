// Scratch projects for `fix --write`: a temporary folder with a tsconfig extending the workspace's
// and node_modules links to the workspace packages the rewrites import, so the type checker and
// vitest resolve them as an installed project would.
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The workspace root. */
export const WORKSPACE: string = join(import.meta.dirname, "..", "..", "..");

/**
 * A scratch project: `files` written (or `copyFrom` copied) into a temporary folder, with a
 * strict tsconfig and the perflayer packages linked into node_modules.
 * @param files - relative path → content
 * @param copyFrom - folders copied in first (relative destination → absolute source)
 * @returns the folder
 */
export function scratchProject(
  files: Record<string, string>,
  copyFrom: Record<string, string> = {},
): string {
  const root = mkdtempSync(join(tmpdir(), "analyze-fix-scratch-"));
  for (const [to, from] of Object.entries(copyFrom))
    cpSync(from, join(root, to), { recursive: true });
  writeFileSync(
    join(root, "tsconfig.json"),
    JSON.stringify({
      extends: join(WORKSPACE, "tsconfig.base.json"),
      compilerOptions: {
        noEmit: true,
        declaration: false,
        declarationMap: false,
        isolatedDeclarations: false,
      },
      include: ["src", "test"],
    }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const link = (name: string, target: string): void => {
    mkdirSync(join(root, "node_modules", name, ".."), { recursive: true });
    symlinkSync(target, join(root, "node_modules", name), "dir");
  };
  for (const p of ["core", "response", "cache", "monitor"])
    link(`@perflayer/${p}`, join(WORKSPACE, "packages", p));
  link("@perflayer-examples/shared", join(WORKSPACE, "examples", "shared"));
  link("@types", join(WORKSPACE, "node_modules", "@types"));
  link("vitest", join(WORKSPACE, "node_modules", "vitest"));
  return root;
}
