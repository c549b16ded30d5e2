import { createHash } from "node:crypto";
import { ts } from "ts-morph";
import { findAll } from "../ast.js";
import { referencesTo } from "./binding-references.js";
import { inFinding } from "./rewrite.js";
import type { RewriteInput } from "./rewrite.js";

/**
 * The `new Map()` declarations (or of the classes given) whose name the finding's lines read.
 * @param input - the finding
 * @param classes - the store classes to take
 * @returns the declarations
 */
export function mapsInFinding(
  input: RewriteInput,
  classes: readonly string[] = ["Map"],
): ts.VariableDeclaration[] {
  const { file } = input;
  return findAll(
    file,
    (n): n is ts.VariableDeclaration =>
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer !== undefined &&
      ts.isNewExpression(n.initializer) &&
      classes.includes(n.initializer.expression.getText(file)) &&
      // Read in the finding's lines by this name and scope (not another variable of the name).
      referencesTo(n).some((u) => inFinding(input, u)),
  );
}

/** Why the finding's store is not a module-level `new Map()`: what it is instead. */
export function storeRefusal(input: RewriteInput): string {
  const { file } = input;
  const access = findAll(
    file,
    (n): n is ts.CallExpression =>
      ts.isCallExpression(n) &&
      inFinding(input, n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      ["get", "has", "set"].includes(n.expression.name.text),
  )[0];
  const store =
    access === undefined
      ? undefined
      : (access.expression as ts.PropertyAccessExpression).expression;
  if (
    store !== undefined &&
    ts.isPropertyAccessExpression(store) &&
    store.expression.kind === ts.SyntaxKind.ThisKeyword
  )
    return `the store \`${store.getText(file)}\` is a field: each instance has its own, and one named cache of the shared CacheManager would merge them`;
  if (store !== undefined && ts.isIdentifier(store)) {
    // The store's own declaration, by binding (not another variable of its name).
    const bound = findAll(
      file,
      (n): n is ts.VariableDeclaration | ts.ParameterDeclaration =>
        (ts.isVariableDeclaration(n) || ts.isParameter(n)) &&
        ts.isIdentifier(n.name) &&
        n.name.text === store.text &&
        referencesTo(n).includes(store),
    ).at(-1);
    if (bound !== undefined && ts.isParameter(bound))
      return `the store \`${store.text}\` is a parameter: a map the caller hands in (what it keeps is the caller's)`;
    const made = bound?.initializer;
    const cls = made !== undefined && ts.isNewExpression(made) ? made.expression.getText(file) : "";
    if (cls === "WeakMap")
      return `the store \`${store.text}\` is a \`WeakMap\`: its entries go when their key object does, a cache would keep them alive (up to its max)`;
    if (cls === "Set" || cls === "WeakSet")
      return `the store \`${store.text}\` is a \`${cls}\` of keys already seen, not a store of computed values`;
    if (made !== undefined && ts.isNewExpression(made))
      return `the store \`${store.text}\` is a \`${made.expression.getText(file)}\`, not a Map (its own semantics would have to be carried over)`;
    return `the store \`${store.text}\` is not a Map created in this file (it may be shared with other modules)`;
  }
  return otherStore(input);
}

const FILLS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
]);

/** What a memo without `get`/`has`/`set` calls keeps its value in: a keyed object, or one slot. */
function otherStore(input: RewriteInput): string {
  const { file } = input;
  const fill = findAll(
    file,
    (n): n is ts.BinaryExpression =>
      ts.isBinaryExpression(n) && FILLS.has(n.operatorToken.kind) && inFinding(input, n),
  ).find(
    (n) =>
      ts.isElementAccessExpression(n.left) ||
      ts.isPropertyAccessExpression(n.left) ||
      ts.isIdentifier(n.left),
  );
  if (fill !== undefined && ts.isElementAccessExpression(fill.left))
    return `an object used as a store (\`${fill.left.getText(file).slice(0, 40)}\`): its keys are strings and it may be read elsewhere; only Maps are rewritten`;
  if (fill !== undefined && ts.isIdentifier(fill.left))
    return `the value goes through a local (\`${fill.left.text}\`) filled on a miss of a store that is neither a module \`Map\`/\`WeakMap\` nor a field of \`this\``;
  if (fill !== undefined)
    return `a single slot on another object filled on first use (\`${fill.left.getText(file).slice(0, 40)}\`): only a variable or a field of \`this\` becomes \`lazy\`; this slot is state of the object it is on`;
  return "no store lookup in the finding's lines (only part of the cache is there, e.g. an expiry test, or its value lives in a field tested in place)";
}

/**
 * The name of the cache that replaces a map: the file's path from the root without its extension
 * (`/` → `.`) and the map's name, e.g. `src.users.index:cache` — unique in the project, so two
 * maps never share one named cache. Past the 64 characters a cache name may have, a hash of the
 * whole name and its end.
 * @param input - the finding (its path is relative to the root)
 * @param map - the map's name
 * @returns the cache name
 */
export function cacheNameFor(input: RewriteInput, map: string): string {
  const path = input.finding.file.replace(/\.[cm]?[jt]sx?$/, "").replaceAll("/", ".");
  const name = `${path}:${map}`.replace(/[^A-Za-z0-9_.:-]/g, "_");
  if (name.length <= 64) return name;
  const hash = createHash("sha1").update(name).digest("hex").slice(0, 8);
  return `${hash}.${name.slice(-(64 - hash.length - 1))}`;
}
