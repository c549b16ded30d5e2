import { ts } from "ts-morph";
import { chain, isFunctionLike, topStatement, walkKinds } from "../ast.js";
import { FACT_KIND, helperFact } from "../cross-file-facts.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, unwrap } from "../file-facts.js";
import { isFreshObject } from "./keyed-flows.js";
import { bindingOf } from "./local-binding.js";

/**
 * Get-or-insert helpers and the memos handed to them. A helper `f(store, key, factory)` — usually
 * in a utility module — reads the store under the key, calls the factory only on a miss and writes
 * its result; it keeps nothing of its own, so it is not the memo: the file states it as a
 * cross-file fact. A call `f(kept, key, compute)` anywhere, over a store that outlives the call (a
 * module or closure variable made empty, a member, a store reached through an object), is the memo; it is held until the cross-file
 * step finds the fact for `f`.
 */

/** The parameter a node names, if it is a bare reference to one of `fn`'s own parameters. */
function parameterIndex(fn: ts.FunctionLikeDeclaration, node: ts.Node): number {
  const n = unwrap(node);
  if (!ts.isIdentifier(n)) return -1;
  return fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === n.text);
}

/** Whether `node` runs only on some paths of `fn`: under an `if`, a `?:`, a `&&`/`||`/`??` or a `??=`. */
function conditionalIn(node: ts.Node, fn: ts.Node): boolean {
  for (let c = node; c.parent !== undefined && c.parent !== fn; c = c.parent) {
    const p = c.parent;
    if (ts.isIfStatement(p) && c !== p.expression) return true;
    if (ts.isConditionalExpression(p) && c !== p.condition) return true;
    if (ts.isBinaryExpression(p) && c === p.right) {
      const op = p.operatorToken.kind;
      if (
        op === ts.SyntaxKind.AmpersandAmpersandToken ||
        op === ts.SyntaxKind.BarBarToken ||
        op === ts.SyntaxKind.QuestionQuestionToken ||
        op === ts.SyntaxKind.QuestionQuestionEqualsToken ||
        op === ts.SyntaxKind.BarBarEqualsToken
      )
        return true;
    }
    if (isFunctionLike(p)) return false;
  }
  return false;
}

/** Whether a statement always leaves the function (`return`, `throw`, or a block ending in one). */
function leaves(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (!ts.isBlock(statement)) return false;
  const last = statement.statements[statement.statements.length - 1];
  return last !== undefined && leaves(last);
}

/**
 * Whether `node` runs only after an early return of `fn` (`if (hit !== undefined) return hit;`
 * in a block around it, before it): on the other path.
 */
function afterEarlyReturn(node: ts.Node, fn: ts.Node): boolean {
  for (let c = node; c.parent !== undefined && c !== fn; c = c.parent) {
    const p = c.parent;
    if (isFunctionLike(p) && p !== fn) return false;
    if (!ts.isBlock(p)) continue;
    for (const s of p.statements) {
      if (s === c) break;
      if (ts.isIfStatement(s) && s.elseStatement === undefined && leaves(s.thenStatement))
        return true;
    }
  }
  return false;
}

/**
 * Whether a function is a get-or-insert helper over its first three parameters: it reads the store
 * (`store.get(key)`, `store.has(key)`, `store[key]`), calls the factory only on a miss, and writes
 * the store under the key (`store.set(key, …)`, `store[key] = …`).
 */
function isGetOrInsert(fn: ts.FunctionLikeDeclaration): boolean {
  if (fn.body === undefined || fn.parameters.length < 3) return false;
  const isParam = (node: ts.Node, index: number): boolean => parameterIndex(fn, node) === index;
  let read = false;
  let write = false;
  let computes = false;
  walkKinds(fn.body, [ts.SyntaxKind.CallExpression, ts.SyntaxKind.ElementAccessExpression], (n) => {
    if (ts.isCallExpression(n)) {
      if (isParam(n.expression, 2) && (conditionalIn(n, fn) || afterEarlyReturn(n, fn)))
        computes = true;
      const target = n.expression;
      if (!ts.isPropertyAccessExpression(target) || !isParam(target.expression, 0)) return;
      const key = n.arguments[0];
      if (key === undefined || !isParam(key, 1)) return;
      const method = target.name.text;
      if (method === "get" || method === "has") read = true;
      else if (method === "set" && n.arguments.length === 2) write = true;
      return;
    }
    if (!ts.isElementAccessExpression(n) || !isParam(n.expression, 0)) return;
    if (!isParam(n.argumentExpression, 1)) return;
    const p = n.parent;
    const assigned =
      ts.isBinaryExpression(p) &&
      p.left === n &&
      (p.operatorToken.kind === ts.SyntaxKind.EqualsToken ||
        p.operatorToken.kind === ts.SyntaxKind.QuestionQuestionEqualsToken ||
        p.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken);
    if (assigned) write = true;
    // `store[key] ??= factory()` reads as well as writes.
    if (!assigned || p.operatorToken.kind !== ts.SyntaxKind.EqualsToken) read = true;
  });
  return read && write && computes;
}

/** The name a function is called by: its own, or the variable it is assigned to. */
function helperName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  if (
    (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
    ts.isVariableDeclaration(fn.parent) &&
    ts.isIdentifier(fn.parent.name)
  )
    return fn.parent.name.text;
  return undefined;
}

/** The declaration of a variable a call site names, when it is declared outside `fn`, made empty. */
function keptVariable(at: ts.Node, name: string, fn: ts.Node): ts.VariableDeclaration | undefined {
  const d = bindingOf(at, name);
  if (d === undefined || !ts.isVariableDeclaration(d) || d.initializer === undefined)
    return undefined;
  if (d.pos >= fn.pos && d.end <= fn.end) return undefined;
  const init = unwrap(d.initializer);
  const empty =
    (ts.isNewExpression(init) && (init.arguments?.length ?? 0) === 0) ||
    (ts.isObjectLiteralExpression(init) && init.properties.length === 0) ||
    (ts.isCallExpression(init) &&
      chain(init.expression) === "Object.create" &&
      init.arguments[0]?.kind === ts.SyntaxKind.NullKeyword);
  return empty ? d : undefined;
}

/** What a factory returns, when it is a function expression (its body, or its only `return`). */
function factoryResult(node: ts.Node): ts.Node | undefined {
  const f = unwrap(node);
  if (!ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) return undefined;
  if (!ts.isBlock(f.body)) return f.body;
  const last = f.body.statements[f.body.statements.length - 1];
  return last !== undefined && ts.isReturnStatement(last) ? last.expression : undefined;
}

/** Whether an argument is a function: an expression of one, or a name bound to a function. */
function isFunctionArgument(node: ts.Node): boolean {
  const f = unwrap(node);
  if (ts.isArrowFunction(f) || ts.isFunctionExpression(f)) return true;
  if (!ts.isIdentifier(f)) return false;
  const d = bindingOf(f, f.text);
  if (d === undefined) return false;
  if (ts.isFunctionDeclaration(d)) return true;
  if (ts.isVariableDeclaration(d) && d.initializer !== undefined) {
    const init = unwrap(d.initializer);
    return ts.isArrowFunction(init) || ts.isFunctionExpression(init);
  }
  // An imported function: the import binding itself.
  return ts.isImportSpecifier(d) || ts.isImportClause(d) || ts.isNamespaceImport(d);
}

/** The statement declaring a kept variable, when the statement holding `user` comes right after it. */
function adjacentDeclaration(d: ts.VariableDeclaration, user: ts.Node): ts.Node | undefined {
  const statement = d.parent.parent;
  if (!ts.isVariableStatement(statement)) return undefined;
  const list = statement.parent;
  if (!ts.isSourceFile(list) && !ts.isBlock(list)) return undefined;
  let outer: ts.Node = user;
  while (outer.parent !== undefined && outer.parent !== list) outer = outer.parent;
  if (outer.parent !== list) return undefined;
  const at = list.statements.indexOf(statement);
  return list.statements[at + 1] === outer ? statement : undefined;
}

export const getOrInsertHelpersDetector: Detector = {
  id: "caching/get-or-insert-helper",
  category: "caching",
  kinds: ["memoize"],
  // A helper's write, or a call of three arguments.
  prefilter: /\.set\(|\]\s*(\?\?|\|\|)?=[^=]|\(\s*[\w$.#]+\s*,[^,()]+,\s*[^,()]/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const detections: Detection[] = [];
    for (const fn of facts.functions) {
      const name = helperName(fn);
      if (name === undefined || !isGetOrInsert(fn)) continue;
      detections.push({
        kind: FACT_KIND,
        confidence: 1,
        nodes: [],
        context: [fn],
        evidence: [`\`${name}\` reads a store under a key, computes on a miss and writes it`],
        name: helperFact(name),
      });
    }
    for (const call of facts.calls) {
      if (call.arguments.length !== 3 || ts.isExpressionStatement(call.parent)) continue;
      const target = unwrap(call.expression);
      const helper = ts.isIdentifier(target)
        ? target.text
        : ts.isPropertyAccessExpression(target) &&
            target.expression.kind !== ts.SyntaxKind.ThisKeyword
          ? target.name.text
          : undefined;
      const [storeArg, , factory] = call.arguments;
      if (helper === undefined || storeArg === undefined || factory === undefined) continue;
      // Syntax first (cheap): a named or reached store, a function or a name for the factory.
      const store = unwrap(storeArg);
      const f = unwrap(factory);
      if (!ts.isIdentifier(store) && !ts.isPropertyAccessExpression(store)) continue;
      if (!ts.isIdentifier(f) && !ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) continue;
      let declaration: ts.Node | undefined;
      let storeName: string | undefined;
      if (ts.isIdentifier(store)) {
        const d = keptVariable(call, store.text, topFunction(call));
        if (d === undefined) continue;
        storeName = store.text;
        declaration = adjacentDeclaration(d, call);
      } else {
        // A member, or a store reached through an object (`options.cache`): it outlives the call.
        storeName = chain(store);
        if (storeName === undefined) continue;
      }
      const made = factoryResult(factory);
      if (!isFunctionArgument(factory) || isFreshObject(made) || isConstantInstance(made)) continue;
      if (filledInPlace(call)) continue;
      const statement = topStatement(call);
      detections.push({
        kind: "memoize",
        confidence: 0.7,
        nodes: declaration === undefined ? [statement] : [declaration, statement],
        evidence: [
          `hands \`${storeName}\`, a key and a factory to \`${helper}\`, a helper that reads the store, computes on a miss and writes it`,
          "computes a value once per key and keeps it",
        ],
        name: storeName,
        needs: helperFact(helper),
      });
    }
    return detections;
  },
};

/** Whether an expression is made of constants only (literals, and objects and arrays of them). */
function isConstant(node: ts.Node): boolean {
  const n = unwrap(node);
  if (
    ts.isLiteralExpression(n) ||
    ts.isNoSubstitutionTemplateLiteral(n) ||
    n.kind === ts.SyntaxKind.TrueKeyword ||
    n.kind === ts.SyntaxKind.FalseKeyword ||
    n.kind === ts.SyntaxKind.NullKeyword
  )
    return true;
  if (ts.isArrayLiteralExpression(n)) return n.elements.every(isConstant);
  if (ts.isObjectLiteralExpression(n))
    return n.properties.every((p) => ts.isPropertyAssignment(p) && isConstant(p.initializer));
  return false;
}

/**
 * Whether a factory makes an instance from constants only (`new Agent({ keepAlive: true })`): the
 * same thing for every key — a resource kept per key (a registry entry), not a value computed from
 * the key.
 */
function isConstantInstance(node: ts.Node | undefined): boolean {
  if (node === undefined) return false;
  const n = unwrap(node);
  return ts.isNewExpression(n) && (n.arguments ?? []).every(isConstant);
}

/**
 * Whether the entry a call gets is filled in place at once (`getOrCreate(m, k, makeList).push(x)`):
 * a registry of groups, whatever its factory is named — not a value computed once per key.
 */
function filledInPlace(call: ts.CallExpression): boolean {
  const p = call.parent;
  return (
    ts.isPropertyAccessExpression(p) &&
    p.expression === call &&
    ts.isCallExpression(p.parent) &&
    /^(push|unshift|add|set|splice)$/.test(p.name.text)
  );
}

/** The function around a call (the file when there is none). */
function topFunction(node: ts.Node): ts.Node {
  for (let c = node.parent; c !== undefined; c = c.parent)
    if (isFunctionLike(c) || ts.isSourceFile(c)) return c;
  return node.getSourceFile();
}
