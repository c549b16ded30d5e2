import { describe, expect, it } from "vitest";
import {
  checkArchitecture,
  loadWorkspace,
  projectStructure,
  validateConfig,
} from "@perflayer/arch-check";
import type { ArchConfig } from "@perflayer/arch-check";
import { tempTree } from "./temp-tree.ts";

/** Three path elements where ui reaches db and api undeclared. */
function document(extra: Partial<ArchConfig> = {}): string {
  const { dir, write } = tempTree("arch-doc-");
  write("package.json", JSON.stringify({ name: "app" }));
  write("src/db/db.ts", "export const db = 1;\n");
  write("src/api/api.ts", 'import { db } from "../db/db";\nexport const api = db;\n');
  write(
    "src/ui/page.ts",
    'import { db } from "../db/db";\nimport { api } from "../api/api";\nexport const page = [db, api];\n',
  );
  const config = validateConfig(
    {
      elements: [
        { name: "ui", paths: ["src/ui/**"], allow: [] },
        { name: "api", paths: ["src/api/**", "src/rpc/**"], allow: ["db"] },
        { name: "db", paths: ["src/db/**"], allow: [] },
      ],
      ...extra,
    },
    "inline",
  );
  return projectStructure(
    config,
    checkArchitecture({ root: dir, config, cacheDir: false }),
    loadWorkspace(dir),
  );
}

describe("PROJECT_STRUCTURE.md", () => {
  it("colours every undeclared edge of the Mermaid graph (one linkStyle naming each link)", () => {
    const doc = document();
    // Link 0 is the declared api → db; links 1 and 2 the undeclared ui → api and ui → db.
    expect(doc).toContain("  api --> db\n");
    expect(doc).toContain(
      '  ui -. "1 undeclared" .-> api\n  ui -. "1 undeclared" .-> db\n  linkStyle 1,2 stroke:#c53030\n',
    );
  });

  it("lists the paths of path elements", () => {
    expect(document()).toContain("| api | `src/api/**`, `src/rpc/**` | db |");
  });

  it("states the rules the config puts in force, not the defaults", () => {
    const defaults = document();
    expect(defaults).toContain(
      "- Public entry points (`src/index.ts`): no `export *`, no default export.",
    );
    expect(defaults).toContain("- No import cycles at runtime (an error)");
    const relaxed = document({
      cycles: { runtime: "off", typeOnly: "off" },
      publicApi: { noExportStar: false, noDefaultExport: false },
      unusedDependencies: false,
      exceptions: [{ rule: "arch/layer", files: ["src/ui/**"], reason: "the UI is being split" }],
    });
    expect(relaxed).toContain("- Runtime import cycles are not checked (`cycles.runtime: off`).");
    expect(relaxed).toContain("- Public entry points (`src/index.ts`) are not checked.");
    expect(relaxed).not.toContain("no `export *`");
    expect(relaxed).not.toContain("unused `dependencies` are reported");
    expect(relaxed).toContain("| arch/layer | `src/ui/**` | any | the UI is being split |");
  });
});
