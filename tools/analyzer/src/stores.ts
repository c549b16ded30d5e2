import { ts } from "ts-morph";
import { chain, enclosing, isEmptyObject, isFunctionLike, isNewMap, walk } from "./ast.js";

/** A `Map` or plain object used as a key/value store, and everything done to it. */
export interface Store {
  /** How the code names it: `cache`, `this.cache`, `this.#cache`. */
  readonly name: string;
  /** `map` for `new Map()`, `object` for `{}`. */
  readonly type: "map" | "object";
  /** The declaration (variable declaration or class property / constructor assignment). */
  readonly declaration: ts.Node;
  /** The nodes whose lines make up the hand-rolled construct. */
  readonly range: ts.Node[];
  /** Calls on the store by method name (`get`, `set`, `has`, `delete`, …). */
  readonly calls: Map<string, ts.CallExpression[]>;
  /** `store[key]` reads. */
  readonly elementReads: ts.ElementAccessExpression[];
  /** `store[key] = value` writes. */
  readonly elementWrites: ts.BinaryExpression[];
  /** Reads of `store.size` (maps) or `Object.keys(store).length` (objects). */
  readonly sizeReads: ts.Node[];
  /** The node the store's uses are searched in (class, function or file). */
  readonly scope: ts.Node;
}

/** Four detectors look at the same stores: find them once per parsed file. */
const storesByFile = new WeakMap<ts.SourceFile, Store[]>();

function storeInit(node: ts.Node | undefined): "map" | "object" | undefined {
  if (isNewMap(node)) return "map";
  if (isEmptyObject(node)) return "object";
  return undefined;
}

/**
 * Finds stores in a file: variables and class properties initialised with `new Map()` or `{}`,
 * and what is done to each within its scope.
 * @param sourceFile - the parsed file
 * @returns the stores
 */
export function findStores(sourceFile: ts.SourceFile): Store[] {
  const known = storesByFile.get(sourceFile);
  if (known !== undefined) return known;
  const stores: Store[] = [];
  storesByFile.set(sourceFile, stores);
  walk(sourceFile, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) {
      const type = storeInit(node.initializer);
      if (type === undefined) return;
      const fn = enclosing(
        node,
        (n) => isFunctionLike(n) || ts.isClassDeclaration(n) || ts.isClassExpression(n),
      );
      const scope = fn ?? sourceFile;
      stores.push(collect(node.name.text, type, node, scope, sourceFile));
    } else if (
      ts.isPropertyDeclaration(node) &&
      (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name))
    ) {
      const type = storeInit(node.initializer);
      if (type === undefined) return;
      const cls = enclosing(node, (n) => ts.isClassDeclaration(n) || ts.isClassExpression(n));
      if (cls === undefined) return;
      stores.push(collect(`this.${node.name.text}`, type, node, cls, sourceFile));
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      const type = storeInit(node.right);
      const name = chain(node.left);
      if (type === undefined || name === undefined || !name.startsWith("this.")) return;
      const cls = enclosing(node, (n) => ts.isClassDeclaration(n) || ts.isClassExpression(n));
      if (cls === undefined || stores.some((s) => s.name === name && s.scope === cls)) return;
      stores.push(collect(name, type, node, cls, sourceFile));
    }
  });
  return stores;
}

function collect(
  name: string,
  type: "map" | "object",
  declaration: ts.Node,
  scope: ts.Node,
  sourceFile: ts.SourceFile,
): Store {
  const calls = new Map<string, ts.CallExpression[]>();
  const elementReads: ts.ElementAccessExpression[] = [];
  const elementWrites: ts.BinaryExpression[] = [];
  const sizeReads: ts.Node[] = [];
  const users = new Set<ts.Node>();
  walk(scope, (node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      chain(node.expression.expression) === name
    ) {
      const method = node.expression.name.text;
      let list = calls.get(method);
      if (list === undefined) calls.set(method, (list = []));
      list.push(node);
      users.add(node);
    } else if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === "size" &&
      chain(node.expression) === name
    ) {
      sizeReads.push(node);
      users.add(node);
    } else if (ts.isElementAccessExpression(node) && chain(node.expression) === name) {
      const parent = node.parent;
      if (
        ts.isBinaryExpression(parent) &&
        parent.left === node &&
        parent.operatorToken.kind === ts.SyntaxKind.EqualsToken
      )
        elementWrites.push(parent);
      else if (!ts.isDeleteExpression(parent)) elementReads.push(node);
      users.add(node);
    } else if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === "length" &&
      ts.isCallExpression(node.expression) &&
      chain(node.expression.expression) === "Object.keys" &&
      chain(node.expression.arguments[0] ?? node) === name
    ) {
      sizeReads.push(node);
      users.add(node);
    }
  });
  // The construct: a class or function holds it whole; at module level, the declaration plus every
  // top-level statement that uses the store.
  let range: ts.Node[];
  if (ts.isSourceFile(scope)) {
    const tops = new Set<ts.Node>([topOf(declaration)]);
    for (const user of users) tops.add(topOf(user));
    range = [...tops].sort((a, b) => a.pos - b.pos);
  } else {
    range = [scope];
  }
  void sourceFile;
  return { name, type, declaration, range, calls, elementReads, elementWrites, sizeReads, scope };
}

function topOf(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent !== undefined && !ts.isSourceFile(current.parent)) current = current.parent;
  return current;
}

/** How many calls of `method` the store gets. */
export function count(store: Store, method: string): number {
  return store.calls.get(method)?.length ?? 0;
}

/** Whether the store is read (`get`/`has`/`[k]`) and written (`set`/`[k] =`). */
export function readAndWritten(store: Store): boolean {
  const reads = count(store, "get") + count(store, "has") + store.elementReads.length;
  const writes = count(store, "set") + store.elementWrites.length;
  return reads > 0 && writes > 0;
}

/** The values written into the store. */
export function writtenValues(store: Store): ts.Expression[] {
  const values: ts.Expression[] = [];
  for (const call of store.calls.get("set") ?? [])
    if (call.arguments[1] !== undefined) values.push(call.arguments[1]);
  for (const write of store.elementWrites) values.push(write.right);
  return values;
}
