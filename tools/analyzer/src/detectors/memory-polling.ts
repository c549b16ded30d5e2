import { ts } from "ts-morph";
import {
  callee,
  chain,
  isFunctionLike,
  nameOf,
  ownNode,
  topStatement,
  walk,
  walkKinds,
} from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, functionName, unwrap } from "../file-facts.js";
import type { FileFacts } from "../file-facts.js";

/** The functions that read memory figures, by the module that exports them. */
const MEMORY_READS: Readonly<Record<string, ReadonlySet<string>>> = {
  process: new Set(["memoryUsage", "rss", "resourceUsage"]),
  v8: new Set(["getHeapStatistics", "getHeapSpaceStatistics"]),
  os: new Set(["freemem", "totalmem"]),
};

/** `node:os` → `os`; other modules → undefined. */
function memoryModule(specifier: string): string | undefined {
  const name = specifier.replace(/^node:/, "");
  return name in MEMORY_READS ? name : undefined;
}

/**
 * The names a file binds to the modules that read memory: `import os from "node:os"`, `import *
 * as v8 from "v8"`, `const os = require("os")` (a module name), and `import { freemem } from "os"`,
 * `const { memoryUsage } = process` (a reading function under its own name).
 */
function memoryBindings(sourceFile: ts.SourceFile): {
  modules: Map<string, string>;
  functions: Set<string>;
} {
  const modules = new Map<string, string>([["process", "process"]]);
  const functions = new Set<string>();
  const named = (module: string, property: string, local: string): void => {
    if (MEMORY_READS[module]?.has(property) === true) functions.add(local);
  };
  for (const st of sourceFile.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const module = memoryModule(st.moduleSpecifier.text);
      const clause = st.importClause;
      if (module === undefined || clause === undefined) continue;
      if (clause.name !== undefined) modules.set(clause.name.text, module);
      const bindings = clause.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings))
        modules.set(bindings.name.text, module);
      if (bindings !== undefined && ts.isNamedImports(bindings))
        for (const e of bindings.elements)
          named(module, (e.propertyName ?? e.name).text, e.name.text);
    }
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (d.initializer === undefined) continue;
      const init = unwrap(d.initializer);
      let module: string | undefined;
      if (
        ts.isCallExpression(init) &&
        callee(init) === "require" &&
        init.arguments[0] !== undefined &&
        ts.isStringLiteral(init.arguments[0])
      )
        module = memoryModule(init.arguments[0].text);
      else if (ts.isIdentifier(init)) module = modules.get(init.text);
      if (module === undefined) continue;
      if (ts.isIdentifier(d.name)) modules.set(d.name.text, module);
      if (ts.isObjectBindingPattern(d.name))
        for (const e of d.name.elements)
          if (ts.isIdentifier(e.name))
            named(module, (e.propertyName ?? e.name).getText(sourceFile), e.name.text);
    }
  }
  return { modules, functions };
}

type Bindings = ReturnType<typeof memoryBindings>;

/** Whether a call reads a memory figure: `process.memoryUsage()`, `os.freemem()`, `freemem()`. */
function readsMemory(call: ts.CallExpression, bindings: Bindings): boolean {
  const e = call.expression;
  if (ts.isIdentifier(e)) return bindings.functions.has(e.text);
  if (!ts.isPropertyAccessExpression(e)) return false;
  const owner = chain(e.expression);
  // `process.memoryUsage.rss()`
  if (owner === "process.memoryUsage" && e.name.text === "rss") return true;
  const module = owner === undefined ? undefined : bindings.modules.get(owner);
  return module !== undefined && MEMORY_READS[module]?.has(e.name.text) === true;
}

/** The function a node is in (or the file). */
function functionAround(node: ts.Node): ts.Node {
  for (let c = node.parent; c !== undefined; c = c.parent)
    if (isFunctionLike(c) || ts.isSourceFile(c)) return c;
  return node.getSourceFile();
}

/**
 * The statements of `body` that read memory or a local holding a figure (followed through the
 * locals they declare), and how many distinct figures they read.
 */
function memoryStatements(
  body: ts.Block,
  reads: ReadonlySet<ts.CallExpression>,
): { statements: ts.Statement[]; figures: number; handed: number } {
  const held = new Set<string>();
  const figures = new Set<string>();
  // Figures handed to a call as they are (`gauges.set("rss", mem.rss)`, `emit("heap", used)`).
  const handed = new Set<string>();
  const handOn = (figure: ts.Node): void => {
    const p = figure.parent;
    if (p !== undefined && ts.isCallExpression(p) && p.arguments.includes(figure as ts.Expression))
      handed.add(figure.getText());
  };
  const statements: ts.Statement[] = [];
  for (const st of body.statements) {
    let uses = false;
    walk(st, (n) => {
      if (ts.isCallExpression(n) && reads.has(n)) {
        uses = true;
        // `os.freemem()` used as it is is a figure; a reading kept or taken apart counts by the
        // parts read from it.
        const p = n.parent;
        if (
          /(^|\.)(freemem|totalmem|rss)$/.test(callee(n) ?? "") ||
          (!ts.isVariableDeclaration(p) && !ts.isPropertyAccessExpression(p))
        )
          figures.add(callee(n) ?? n.getText());
        if (ts.isPropertyAccessExpression(p) && p.expression === n) {
          figures.add(p.name.text);
          handOn(p);
        } else handOn(n);
        // `const mem = process.memoryUsage();` inside a block of this statement: its parts read
        // further on in the same statement are figures too.
        if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) held.add(p.name.text);
      }
      if (ts.isIdentifier(n) && held.has(n.text) && !ts.isVariableDeclaration(n.parent)) {
        uses = true;
        const p = n.parent;
        // `procMem.heapUsed`, `stat.total_heap_size`: one figure each.
        if (ts.isPropertyAccessExpression(p) && p.expression === n) {
          figures.add(p.getText());
          handOn(p);
        } else handOn(n);
      }
    });
    if (!uses) continue;
    statements.push(st);
    walk(st, (n) => {
      if (ts.isVariableDeclaration(n) && functionAround(n) === functionAround(st)) {
        if (ts.isIdentifier(n.name)) held.add(n.name.text);
        else
          for (const e of n.name.elements)
            if (ts.isBindingElement(e) && ts.isIdentifier(e.name)) {
              held.add(e.name.text);
              figures.add(e.name.text);
            }
      }
      // `available = memAvail`: a figure kept in an earlier local.
      if (
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isIdentifier(n.left)
      )
        held.add(n.left.text);
    });
  }
  return { statements, figures: figures.size, handed: handed.size };
}

/**
 * The statements before a memory check that work out its limit: a local of the check's condition
 * declared in the same block (`let limit = this.limit;`) and the statements right after it that
 * only assign it (`if (limit <= 1) limit = Math.floor(totalmem() * limit); else …`).
 */
function limitWorkedOut(check: ts.IfStatement): ts.Node[] {
  const block = check.parent;
  if (block === undefined || !ts.isBlock(block)) return [];
  const names = new Set<string>();
  walk(check.expression, (n) => {
    if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n))
      names.add(n.text);
  });
  const at = block.statements.indexOf(check);
  const found: ts.Node[] = [];
  for (const name of names) {
    const declared = block.statements.findIndex(
      (st, i) =>
        i < at &&
        ts.isVariableStatement(st) &&
        st.declarationList.declarations.some(
          (d) => ts.isIdentifier(d.name) && d.name.text === name,
        ),
    );
    if (declared < 0) continue;
    const only = (st: ts.Node): boolean => {
      if (ts.isBlock(st)) return st.statements.every(only);
      if (ts.isIfStatement(st))
        return only(st.thenStatement) && (st.elseStatement === undefined || only(st.elseStatement));
      return (
        ts.isExpressionStatement(st) &&
        ts.isBinaryExpression(st.expression) &&
        st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isIdentifier(st.expression.left) &&
        st.expression.left.text === name
      );
    };
    const between = block.statements.slice(declared + 1, at);
    if (!between.every(only)) continue;
    found.push(block.statements[declared] as ts.Node, ...between);
  }
  return found;
}

/**
 * The names of the file's functions that read memory, and of those that call one of them (one
 * level: `captureCommonMetrics() { captureMemoryUsage(); … }`).
 */
function readingFunctions(
  functions: readonly ts.Node[],
  reads: ReadonlySet<ts.CallExpression>,
): Set<string> {
  const names = new Set<string>();
  for (const read of reads) {
    const name = functionName(functionAround(read));
    if (name !== undefined) names.add(name);
  }
  if (names.size === 0) return names;
  const direct = new Set(names);
  for (const fn of functions) {
    const name = functionName(fn);
    if (name === undefined || direct.has(name)) continue;
    walkKinds(fn, [ts.SyntaxKind.CallExpression], (n) => {
      if (ts.isCallExpression(n) && direct.has(calledName(n))) names.add(name);
    });
  }
  return names;
}

/** `f()`, `this.f()`, `f.call(this)` → `f`. */
function calledName(call: ts.CallExpression): string {
  return (callee(call) ?? "").replace(/^this\./, "").replace(/\.(call|apply)$/, "");
}

/** The name of a memory-reading function of the file that a timer callback calls, if any. */
function drivenSampler(callback: ts.Node, readers: ReadonlySet<string>): string | undefined {
  if (readers.size === 0) return undefined;
  const direct = chain(unwrap(callback))?.replace(/^this\./, "");
  if (direct !== undefined && readers.has(direct)) return direct;
  let found: string | undefined;
  walkKinds(callback, [ts.SyntaxKind.CallExpression], (n) => {
    if (found === undefined && ts.isCallExpression(n) && readers.has(calledName(n)))
      found = calledName(n);
  });
  return found;
}

/**
 * Whether a condition holds a memory figure compared with a limit, either way round
 * (`heapUsed > memoryLimit`, `env.max_memory_restart < monit.memory`).
 */
function overLimit(condition: ts.Node): boolean {
  let found = false;
  // The words of a name's last part (`max_memory_restart`, `heapUsed` → max memory restart, heap
  // used): `headersSize` holds no "rss".
  const words = (n: ts.Node): string[] =>
    ((chain(unwrap(n)) ?? "").split(".").pop() ?? "")
      .split(/_|(?=[A-Z][a-z])/)
      .map((w) => w.toLowerCase());
  const limit = (n: ts.Node): boolean =>
    words(n).some((w) => /^(limit|max|maximum|threshold)$/.test(w));
  const figure = (n: ts.Node): boolean =>
    words(n).some((w) => /^(memory|heap|rss)$/.test(w)) && !limit(n);
  walk(condition, (n) => {
    if (found || !ts.isBinaryExpression(n)) return;
    const op = n.operatorToken.kind;
    const greater =
      op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken;
    const less = op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.LessThanEqualsToken;
    if ((greater && figure(n.left) && limit(n.right)) || (less && limit(n.left) && figure(n.right)))
      found = true;
  });
  return found;
}

/** The browser's heap figures (`performance.memory`). */
const HEAP_FIGURES = /^(usedJSHeapSize|totalJSHeapSize|jsHeapSizeLimit)$/;

/** The heap figures a function takes off its first parameter (`{ usedJSHeapSize, … } = m`). */
function figuresTaken(fn: ts.FunctionLikeDeclaration): Set<string> {
  const taken = new Set<string>();
  const param = fn.parameters[0];
  if (param === undefined) return taken;
  const names = new Set<string>();
  const fromPattern = (pattern: ts.BindingName): void => {
    if (ts.isIdentifier(pattern)) names.add(pattern.text);
    else if (ts.isObjectBindingPattern(pattern))
      for (const e of pattern.elements) {
        const key = (e.propertyName ?? e.name).getText();
        if (HEAP_FIGURES.test(key)) taken.add(key);
      }
  };
  fromPattern(param.name);
  if (fn.body === undefined) return taken;
  walk(fn.body, (n) => {
    if (ts.isPropertyAccessExpression(n) && HEAP_FIGURES.test(n.name.text)) {
      const owner = unwrap(n.expression);
      if (ts.isIdentifier(owner) && names.has(owner.text)) taken.add(n.name.text);
    }
    if (
      ts.isVariableDeclaration(n) &&
      n.initializer !== undefined &&
      ts.isIdentifier(unwrap(n.initializer)) &&
      names.has((unwrap(n.initializer) as ts.Identifier).text)
    )
      fromPattern(n.name);
  });
  return taken;
}

/**
 * The browser's heap read by hand: `performance.memory` read and two or more of its figures
 * taken off it — in the reading function, or in the function of the file it is handed to
 * (`createMemoryEntry(performance.memory)`) — to be recorded or reported.
 */
function browserHeapReads(facts: FileFacts): Detection[] {
  if (!/performance\.memory/.test(facts.sourceFile.text)) return [];
  const byName = new Map<string, ts.FunctionLikeDeclaration>();
  for (const fn of facts.functions) {
    const name = functionName(fn);
    if (name !== undefined) byName.set(name, fn);
  }
  const detections: Detection[] = [];
  const seen = new Set<ts.Node>();
  walkKinds(facts.sourceFile, [ts.SyntaxKind.PropertyAccessExpression], (n) => {
    if (!ts.isPropertyAccessExpression(n) || !/(^|\.)performance\.memory$/.test(chain(n) ?? ""))
      return;
    const fn = functionAround(n);
    if (!isFunctionLike(fn) || seen.has(fn)) return;
    const figures = new Set<string>();
    const parts: ts.Node[] = [ownNode(fn)];
    const p = n.parent;
    if (ts.isPropertyAccessExpression(p) && HEAP_FIGURES.test(p.name.text))
      figures.add(p.name.text);
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) {
      const held = p.name.text;
      walk(fn, (m) => {
        if (
          ts.isPropertyAccessExpression(m) &&
          HEAP_FIGURES.test(m.name.text) &&
          chain(m.expression) === held
        )
          figures.add(m.name.text);
      });
    }
    if (ts.isVariableDeclaration(p) && ts.isObjectBindingPattern(p.name))
      for (const e of p.name.elements) {
        const key = (e.propertyName ?? e.name).getText();
        if (HEAP_FIGURES.test(key)) figures.add(key);
      }
    if (ts.isCallExpression(p) && p.arguments[0] === n) {
      const target = byName.get(calledName(p));
      if (target !== undefined) {
        for (const f of figuresTaken(target)) figures.add(f);
        parts.push(ownNode(target));
      }
    }
    if (figures.size < 2) return;
    seen.add(fn);
    detections.push({
      kind: "memory-polling",
      confidence: 0.75,
      nodes: [...new Set(parts)].sort((a, b) => a.pos - b.pos),
      evidence: [`the browser's heap read off \`performance.memory\` (${[...figures].join(", ")})`],
      name: functionName(fn),
    });
  });
  return detections;
}

/**
 * Memory read by hand: `process.memoryUsage()` / `v8.getHeapStatistics()` / `os.freemem()` polled
 * on a timer, a sampler that reads several memory figures and hands them on (gauges set, a
 * snapshot returned or emitted — the timer that drives it may live elsewhere), and a memory
 * figure compared with a limit that restarts or reclaims. Reading one figure once (a heap limit
 * that sizes a cache) is no polling. Replaced by `@perflayer/memory` `MemoryOptimizer` (one
 * sampler, budgets, levels, events).
 */
export const memoryPollingDetector: Detector = {
  id: "memory/memory-polling",
  category: "memory",
  kinds: ["memory-polling"],
  prefilter:
    /(memoryUsage|getHeapStatistics|getHeapSpaceStatistics|freemem|totalmem|[mM]emory|[hH]eap)/,
  detect({ sourceFile }) {
    const detections: Detection[] = [];
    const facts = factsOf(sourceFile);
    const bindings = memoryBindings(sourceFile);
    const reads = new Set(facts.calls.filter((c) => readsMemory(c, bindings)));
    const timed = new Set<ts.Node>();
    // Functions a timer callback of the file calls by name: samplers a poll drives.
    const polled = new Set<string>();
    const readers = readingFunctions(facts.functions, reads);
    for (const node of facts.calls) {
      const name = callee(node);
      if (name !== "setInterval" && name !== "setTimeout" && name !== "timers.setInterval")
        continue;
      const callback = node.arguments[0];
      if (callback === undefined) continue;
      const direct = chain(unwrap(callback));
      if (direct !== undefined) polled.add(direct.replace(/^this\./, ""));
      walk(callback, (n) => {
        if (ts.isCallExpression(n)) polled.add((callee(n) ?? "").replace(/^this\./, ""));
      });
      let read: ts.CallExpression | undefined;
      let compares = false;
      walk(callback, (n) => {
        if (ts.isCallExpression(n) && reads.has(n)) read = n;
        if (
          ts.isBinaryExpression(n) &&
          [
            ts.SyntaxKind.GreaterThanToken,
            ts.SyntaxKind.GreaterThanEqualsToken,
            ts.SyntaxKind.LessThanToken,
          ].includes(n.operatorToken.kind)
        )
          compares = true;
      });
      if (read === undefined) {
        // A timer that drives a function of this file which reads memory (`setInterval(() => {
        // captureHeapStats(); client.flush() }, ms)`): the poll, with the sampler elsewhere.
        const driven = drivenSampler(callback, readers);
        if (driven !== undefined && name === "setInterval") {
          const statement = topStatement(node);
          detections.push({
            kind: "memory-polling",
            confidence: 0.75,
            nodes: [statement],
            evidence: [`a \`${name}\` callback calls \`${driven}()\`, which reads memory figures`],
            name: nameOf(statement),
          });
        }
        continue;
      }
      timed.add(unwrap(callback));
      const statement = topStatement(node);
      detections.push({
        kind: "memory-polling",
        confidence: compares || name === "setInterval" ? 0.9 : 0.75,
        nodes: [statement],
        evidence: [
          `\`${callee(read) ?? ""}()\` read in a \`${name}\` callback`,
          ...(compares ? ["compared against a threshold"] : []),
        ],
        name: nameOf(statement),
      });
    }
    // Samplers: a function that reads two or more memory figures and hands them on.
    const samplers = new Set<ts.Node>();
    for (const read of reads) {
      const fn = functionAround(read);
      if (!isFunctionLike(fn) || timed.has(fn) || samplers.has(fn)) continue;
      samplers.add(fn);
      const body = fn.body;
      if (body === undefined || !ts.isBlock(body)) continue;
      const { statements, figures, handed } = memoryStatements(body, reads);
      // Driven by a timer of the file, or handing the figures on to gauges or events; a snapshot
      // only returned (a health answer on request) is no polling by itself.
      const driven = polled.has(functionName(fn) ?? "");
      if (figures < 2 || statements.length === 0 || (!driven && handed < 2)) continue;
      // A function that exists to sample is the construct; in a longer one, its memory lines.
      const whole = statements.length + 1 >= body.statements.length;
      const own = ts.isVariableDeclaration(fn.parent) ? topStatement(fn.parent) : fn;
      detections.push({
        kind: "memory-polling",
        confidence: 0.75,
        nodes: whole ? [own] : statements,
        evidence: [
          `reads ${figures} memory figures (${[...reads]
            .filter((r) => functionAround(r) === fn)
            .map((r) => `\`${callee(r) ?? ""}()\``)
            .slice(0, 3)
            .join(", ")})`,
          driven
            ? "in a function a timer of the file calls"
            : "and hands them on to gauges or events: a sampler a poll drives",
        ],
        name: nameOf(own),
      });
    }
    detections.push(...browserHeapReads(facts));
    // A memory figure compared with a limit that restarts, terminates or reclaims.
    walkKinds(sourceFile, [ts.SyntaxKind.IfStatement], (node) => {
      if (!ts.isIfStatement(node) || !overLimit(node.expression)) return;
      let acts = "";
      walk(node.thenStatement, (n) => {
        if (
          ts.isCallExpression(n) &&
          /(restart|reload|terminate|kill|exit|gc|reclaim|clear|shrink|destroy)/i.test(
            callee(n) ?? "",
          )
        )
          acts = callee(n) ?? "";
      });
      if (acts === "") return;
      detections.push({
        kind: "memory-polling",
        confidence: 0.8,
        nodes: [...limitWorkedOut(node), node],
        evidence: [
          `memory usage compared with a limit: \`${node.expression.getText(sourceFile).replace(/\s+/g, " ").slice(0, 60)}\``,
          `then \`${acts}()\``,
        ],
      });
    });
    return detections;
  },
};
