import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, sep } from "node:path";
import { ts } from "ts-morph";
import { importName, isCommonJs } from "./file-imports.js";
import type { NeededImport } from "./file-imports.js";

/** What the shared module provides: the project's one monitor, and its one cache manager. */
export type SharedName = "monitor" | "caches";

/** The class each shared name is an instance of, and the package that exports it. */
const PROVIDERS: Readonly<Record<SharedName, { readonly cls: string; readonly module: string }>> = {
  monitor: { cls: "PerformanceMonitor", module: "@perflayer/monitor" },
  caches: { cls: "CacheManager", module: "@perflayer/cache" },
};

/**
 * The exported variable of an existing module that holds `new Cls(…)`, if any: `export const x =
 * new Cls()`, or in CommonJS `exports.x = new Cls()` / `module.exports.x = new Cls()`.
 */
function exportedInstance(file: ts.SourceFile, cls: string): string | undefined {
  const isNew = (init: ts.Expression | undefined): boolean =>
    init !== undefined && ts.isNewExpression(init) && init.expression.getText(file) === cls;
  for (const statement of file.statements) {
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(statement.expression.left) &&
      ["exports", "module.exports"].includes(statement.expression.left.expression.getText(file)) &&
      isNew(statement.expression.right)
    )
      return statement.expression.left.name.text;
    if (
      !ts.isVariableStatement(statement) ||
      !(ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    )
      continue;
    for (const d of statement.declarationList.declarations)
      if (ts.isIdentifier(d.name) && isNew(d.initializer)) return d.name.text;
  }
  return undefined;
}

const isTypeScript = (path: string): boolean => /\.[cm]?tsx?$/.test(path);

/**
 * The one module of a project that creates its `PerformanceMonitor` and `CacheManager` (by default
 * `src/perflayer.ts`, or `perflayer.ts` without a `src` folder; `.js` when the files that may use
 * it are all JavaScript): reused when it exists (its exported instances are imported under their
 * names), created or extended with what the rewrites need, as an ES module or, for CommonJS
 * files, a CommonJS one. Rewriters ask it for an import of `monitor` or `caches`; the planner
 * renders it once at the end.
 */
export class SharedModule {
  /** The absolute path. */
  readonly path: string;
  /** Its text now ("" when it does not exist). */
  readonly before: string;
  /** Whether it is (or is created as) a CommonJS module. */
  readonly commonJs: boolean;
  readonly #existing: Partial<Record<SharedName, string>> = {};
  readonly #used = new Set<SharedName>();

  /**
   * @param root - the project root
   * @param path - the module's path relative to the root (default: `src/perflayer.ts` or `perflayer.ts`)
   * @param users - the files that may use it: their paths and whether each is CommonJS (decide the
   *   default extension and, for a new `.js` module, its module system)
   */
  constructor(
    root: string,
    path?: string,
    users: readonly { readonly path: string; readonly commonJs: boolean }[] = [],
  ) {
    const javaScript = users.length > 0 && users.every((u) => !isTypeScript(u.path));
    const folder = join(root, existsSync(join(root, "src")) ? "src" : "");
    // An existing module is reused whatever its extension; a new one is `.js` for JavaScript users.
    const existing = ["perflayer.ts", "perflayer.js"].find((n) => existsSync(join(folder, n)));
    this.path =
      path === undefined
        ? join(folder, existing ?? (javaScript ? "perflayer.js" : "perflayer.ts"))
        : join(root, path);
    this.before = existsSync(this.path) ? readFileSync(this.path, "utf8") : "";
    const file = ts.createSourceFile(this.path, this.before, ts.ScriptTarget.Latest, true);
    this.commonJs =
      this.before === ""
        ? this.path.endsWith(".cjs") || (/\.js$/.test(this.path) && users.some((u) => u.commonJs))
        : isCommonJs(file);
    for (const name of Object.keys(PROVIDERS) as SharedName[]) {
      const found = exportedInstance(file, PROVIDERS[name].cls);
      if (found !== undefined) this.#existing[name] = found;
    }
  }

  /**
   * Why `file` cannot import this module, if it cannot: a JavaScript file does not load a
   * TypeScript module at run time.
   * @param file - the file a rewrite would make import it
   * @returns the reason, or undefined when it can
   */
  unreachableFrom(file: ts.SourceFile): string | undefined {
    return isTypeScript(this.path) && !isTypeScript(file.fileName)
      ? `the JavaScript file would import the project's TypeScript module \`${basename(this.path)}\` (pass --shared-module with a .js path)`
      : undefined;
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
    const styles = [
      ...file.statements
        .filter(ts.isImportDeclaration)
        .map((i) => (ts.isStringLiteral(i.moduleSpecifier) ? i.moduleSpecifier.text : "")),
      ...[...file.text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? ""),
    ].filter((s) => s.startsWith("."));
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
      .map((n) =>
        this.commonJs
          ? `const { ${PROVIDERS[n].cls} } = require("${PROVIDERS[n].module}");`
          : `import { ${PROVIDERS[n].cls} } from "${PROVIDERS[n].module}";`,
      )
      .join("\n");
    const monitor = this.#existing.monitor ?? "monitor";
    const declarations = missing.map((n) => {
      const { cls } = PROVIDERS[n];
      const args =
        n === "caches" && (this.#used.has("monitor") || this.#existing.monitor !== undefined)
          ? `{ instrumentation: ${this.commonJs ? "exports." : ""}${monitor}.instrumentation }`
          : "";
      return this.commonJs
        ? `exports.${n} = new ${cls}(${args});`
        : `export const ${n}${typed ? `: ${cls}` : ""} = new ${cls}(${args});`;
    });
    const them = missing.length > 1 ? "them" : "it";
    if (this.before === "")
      return `// The project's one ${missing.map((n) => PROVIDERS[n].cls).join(" and ")} (created by perflayer-analyze fix): ${this.commonJs ? "require" : "import"} ${them} from here.\n${imports}\n\n${declarations.join("\n")}\n`;
    if (this.commonJs)
      return `${this.before.trimEnd()}\n\n${imports}\n${declarations.join("\n")}\n`;
    return `${imports}\n${this.before.trimEnd()}\n\n${declarations.join("\n")}\n`;
  }
}
