import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join, relative, sep } from "node:path";
import { ts } from "ts-morph";
import { importName } from "./source-edit.js";
import type { NeededImport } from "./source-edit.js";

/** What the shared module provides: the project's one monitor, and its one cache manager. */
export type SharedName = "monitor" | "caches";

/** The class each shared name is an instance of, and the package that exports it. */
const PROVIDERS: Readonly<Record<SharedName, { readonly cls: string; readonly module: string }>> = {
  monitor: { cls: "PerformanceMonitor", module: "@perflayer/monitor" },
  caches: { cls: "CacheManager", module: "@perflayer/cache" },
};

/** The exported variable of an existing module that holds `new Cls(…)`, if any. */
function exportedInstance(file: ts.SourceFile, cls: string): string | undefined {
  for (const statement of file.statements) {
    if (
      !ts.isVariableStatement(statement) ||
      !(ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    )
      continue;
    for (const d of statement.declarationList.declarations) {
      const init = d.initializer;
      if (
        ts.isIdentifier(d.name) &&
        init !== undefined &&
        ts.isNewExpression(init) &&
        init.expression.getText(file) === cls
      )
        return d.name.text;
    }
  }
  return undefined;
}

/**
 * The one module of a project that creates its `PerformanceMonitor` and `CacheManager` (by default
 * `src/perflayer.ts`, or `perflayer.ts` without a `src` folder): reused when it exists (its exported
 * instances are imported under their names), created or extended with what the rewrites need.
 * Rewriters ask it for an import of `monitor` or `caches`; the planner renders it once at the end.
 */
export class SharedModule {
  /** The absolute path. */
  readonly path: string;
  /** Its text now ("" when it does not exist). */
  readonly before: string;
  readonly #existing: Partial<Record<SharedName, string>> = {};
  readonly #used = new Set<SharedName>();

  /**
   * @param root - the project root
   * @param path - the module's path relative to the root (default: `src/perflayer.ts` or `perflayer.ts`)
   */
  constructor(root: string, path?: string) {
    this.path =
      path === undefined
        ? join(root, existsSync(join(root, "src")) ? "src" : "", "perflayer.ts")
        : join(root, path);
    this.before = existsSync(this.path) ? readFileSync(this.path, "utf8") : "";
    if (this.before !== "") {
      const file = ts.createSourceFile(this.path, this.before, ts.ScriptTarget.Latest, true);
      for (const name of Object.keys(PROVIDERS) as SharedName[]) {
        const found = exportedInstance(file, PROVIDERS[name].cls);
        if (found !== undefined) this.#existing[name] = found;
      }
    }
  }

  /** Whether a rewrite uses it. */
  get used(): boolean {
    return this.#used.size > 0;
  }

  /**
   * The import of a shared instance into `file`, under a name free there (a rewrite that needs it
   * lists it in its `shared`).
   * @param file - the file that will use it
   * @param names - the identifiers spelled in the file
   * @param name - which instance
   * @returns the import
   */
  importInto(file: ts.SourceFile, names: ReadonlySet<string>, name: SharedName): NeededImport {
    return importName(file, names, this.specifierFrom(file), this.#existing[name] ?? name);
  }

  /**
   * Records that an accepted rewrite uses a shared instance.
   * @param name - which instance
   */
  use(name: SharedName): void {
    this.#used.add(name);
  }

  /** The relative specifier of this module from a file, in the style of its relative imports. */
  specifierFrom(file: ts.SourceFile): string {
    const styles = file.statements
      .filter(ts.isImportDeclaration)
      .map((i) => (ts.isStringLiteral(i.moduleSpecifier) ? i.moduleSpecifier.text : ""))
      .filter((s) => s.startsWith("."));
    const ext = extname(this.path);
    const base = this.path.slice(0, -ext.length);
    let spec = relative(dirname(file.fileName), base).split(sep).join("/");
    if (!spec.startsWith(".")) spec = `./${spec}`;
    if (styles.length > 0 && styles.every((s) => extname(s) === "")) return spec;
    if (styles.some((s) => extname(s) === ext)) return spec + ext;
    return spec + (ext === ".ts" ? ".js" : ext === ".mts" ? ".mjs" : ext);
  }

  /** The packages the instances it adds come from (the project must depend on them). */
  modules(): string[] {
    return [...this.#used]
      .filter((n) => this.#existing[n] === undefined)
      .map((n) => PROVIDERS[n].module);
  }

  /** The module's text with the instances the rewrites use added (what exists is kept). */
  render(): string {
    // The monitor first: the cache manager reports into it.
    const missing = (["monitor", "caches"] as const).filter(
      (n) => this.#used.has(n) && this.#existing[n] === undefined,
    );
    if (missing.length === 0) return this.before;
    const typed = !/\.[cm]?js$/.test(this.path);
    const imports = missing
      .map((n) => `import { ${PROVIDERS[n].cls} } from "${PROVIDERS[n].module}";`)
      .join("\n");
    const monitor = this.#existing.monitor ?? "monitor";
    const declarations = missing.map((n) => {
      const { cls } = PROVIDERS[n];
      const args =
        n === "caches" && (this.#used.has("monitor") || this.#existing.monitor !== undefined)
          ? `{ instrumentation: ${monitor}.instrumentation }`
          : "";
      return `export const ${n}${typed ? `: ${cls}` : ""} = new ${cls}(${args});`;
    });
    if (this.before === "")
      return `// The project's one ${missing.map((n) => PROVIDERS[n].cls).join(" and ")} (created by perflayer-analyze fix): import ${missing.length > 1 ? "them" : "it"} from here.\n${imports}\n\n${declarations.join("\n")}\n`;
    return `${imports}\n${this.before.trimEnd()}\n\n${declarations.join("\n")}\n`;
  }
}
