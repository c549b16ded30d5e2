import { ts } from "ts-morph";
import { findAll, isFunctionLike } from "../ast.js";
import { CLOCKS, secondsDivision } from "./clock-reader.js";
import type { ClockOf } from "./clock-reader.js";
import { refuse } from "./rewrite.js";
import type { Refusal, Rewrite, RewriteInput } from "./rewrite.js";
import type { TextEdit } from "./source-edit.js";
import { freeName, needsParens, snake } from "./timer-text.js";

const isJavaScript = (path: string): boolean => /\.[cm]?jsx?$/.test(path);

const bare = (node: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(node) ? bare(node.expression) : node;

/** Words of a mark's name that say "a start time" and name nothing measured. */
const MARK_WORDS = new Set([
  "start",
  "started",
  "starting",
  "begin",
  "began",
  "time",
  "timestamp",
  "at",
  "ts",
  "ms",
  "stamp",
  "t0",
  "mark",
  "last",
]);

type Class = ts.ClassDeclaration | ts.ClassExpression;

/**
 * The class whose instance `this` is, when `this` is read in a method, constructor, accessor or
 * field initializer of a class (through arrow functions, which keep `this`).
 */
function classOfThis(node: ts.Node): Class | undefined {
  for (let n: ts.Node = node.parent; !ts.isSourceFile(n); n = n.parent) {
    if (ts.isArrowFunction(n)) continue;
    if (ts.isPropertyDeclaration(n) || isFunctionLike(n) || ts.isClassStaticBlockDeclaration(n)) {
      const owner = n.parent;
      const isStatic = (ts.getModifiers(n as ts.HasModifiers) ?? []).some(
        (m) => m.kind === ts.SyntaxKind.StaticKeyword,
      );
      if (
        !isStatic &&
        !ts.isClassStaticBlockDeclaration(n) &&
        (ts.isClassDeclaration(owner) || ts.isClassExpression(owner)) &&
        (ts.isPropertyDeclaration(n) ||
          ts.isMethodDeclaration(n) ||
          ts.isConstructorDeclaration(n) ||
          ts.isGetAccessorDeclaration(n) ||
          ts.isSetAccessorDeclaration(n))
      )
        return owner;
      return undefined;
    }
  }
  return undefined;
}

/** Whether a class extends the other, by the name its `extends` clause spells. */
const extendsClass = (sub: Class, base: Class): boolean =>
  base.name !== undefined &&
  (sub.heritageClauses ?? []).some(
    (h) =>
      h.token === ts.SyntaxKind.ExtendsKeyword &&
      h.types.some((t) => t.expression.getText() === base.name?.text),
  );

/** Whether other modules can reach the class: exported by a modifier, a list, a default or `module.exports`. */
function isExported(file: ts.SourceFile, cls: Class): boolean {
  if ((ts.getModifiers(cls) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  if (ts.isClassExpression(cls)) return true;
  const name = cls.name?.text;
  if (name === undefined) return true;
  return (
    findAll(
      file,
      (n): n is ts.Identifier =>
        ts.isIdentifier(n) &&
        n.text === name &&
        n !== cls.name &&
        (ts.findAncestor(
          n,
          (a) => ts.isExportAssignment(a) || ts.isExportSpecifier(a) || ts.isExportDeclaration(a),
        ) !== undefined ||
          ts.findAncestor(n, (a) => {
            if (!ts.isBinaryExpression(a) || a.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
              return false;
            const left = a.left.getText();
            return left === "module.exports" || /^(module\.)?exports\./.test(left);
          }) !== undefined),
    ).length > 0
  );
}

/** Where a field is named in the file: accesses on any object, destructuring, `"x" in o`, members. */
function mentionsOf(file: ts.SourceFile, name: string): ts.Node[] {
  return findAll(file, (n): n is ts.Node => {
    if (ts.isPropertyAccessExpression(n)) return n.name.text === name;
    if (ts.isElementAccessExpression(n))
      return ts.isStringLiteralLike(n.argumentExpression) && n.argumentExpression.text === name;
    if (ts.isBindingElement(n) && ts.isObjectBindingPattern(n.parent))
      return (n.propertyName ?? n.name).getText() === name;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.InKeyword)
      return ts.isStringLiteralLike(n.left) && n.left.text === name;
    if (ts.isParameter(n))
      return (
        ts.isIdentifier(n.name) &&
        n.name.text === name &&
        (ts.getModifiers(n) ?? []).length > 0 &&
        ts.isConstructorDeclaration(n.parent)
      );
    if (ts.isClassElement(n) && !ts.isPropertyDeclaration(n))
      return n.name !== undefined && n.name.getText() === name;
    return false;
  });
}

/** A node's first line, at most 50 characters of it. */
const excerpt = (file: ts.SourceFile, node: ts.Node): string =>
  (node.getText(file).split("\n")[0] ?? "").slice(0, 50);

/** The 1-based line a node starts on. */
const lineOf = (file: ts.SourceFile, node: ts.Node): number =>
  file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;

/**
 * A start mark kept in a field (`this.t0 = Date.now()` in one method, `Date.now() - this.t0` in
 * another of the same class) → the field holds the shared monitor's timer: started where the mark
 * was set (`this.stopXTimer = monitor.startTimer("x_duration_seconds")`) and ended where the
 * elapsed time is read (`this.stopXTimer() * 1000`). Only a private-ish field (`#x`, `private`,
 * `_x`, or one of a class no other module can reach), set only with marks of one clock and read
 * once, by the elapsed time; refused with the line of any other read or write, on any object.
 * @param input - the finding
 * @param access - `this.x`, as the mark's write or the elapsed time's read
 * @param clockOf - the file's clock reader
 * @returns the rewrite, or the refusal
 */
export function fieldTimer(
  input: RewriteInput,
  access: ts.PropertyAccessExpression,
  clockOf: ClockOf,
): Rewrite | Refusal {
  const { file } = input;
  const field = access.name.text;
  const shown = `this.${field}`;
  const cls = classOfThis(access.expression);
  if (cls === undefined)
    return refuse(
      `the start mark \`${shown}\` is kept on \`this\` outside a class's methods (not one object's field)`,
    );
  const declarations = cls.members.filter(
    (m): m is ts.PropertyDeclaration =>
      ts.isPropertyDeclaration(m) && m.name.getText(file) === field,
  );
  const declaration = declarations[0];
  if (declarations.length > 1) return refuse(`the field \`${field}\` is declared twice`);
  const modifiers = declaration === undefined ? [] : (ts.getModifiers(declaration) ?? []);
  if (
    modifiers.some(
      (m) =>
        m.kind === ts.SyntaxKind.StaticKeyword ||
        m.kind === ts.SyntaxKind.DeclareKeyword ||
        m.kind === ts.SyntaxKind.AbstractKeyword,
    ) ||
    (declaration !== undefined && ts.getDecorators(declaration) !== undefined)
  )
    return refuse(`the field \`${field}\` is static, declared, abstract or decorated`);
  const isPrivate =
    ts.isPrivateIdentifier(access.name) ||
    field.startsWith("_") ||
    modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
  if (!isPrivate && isExported(file, cls))
    return refuse(
      `the start mark \`${shown}\` is a public field of an exported class (other modules may read it)`,
    );
  // Every mention of the name: the mark's writes and the one elapsed time, nothing else.
  const writes: ts.BinaryExpression[] = [];
  const reads: ts.BinaryExpression[] = [];
  let clock: string | undefined;
  for (const mention of mentionsOf(file, field)) {
    if (
      ts.isPropertyAccessExpression(mention) &&
      mention.expression.kind === ts.SyntaxKind.ThisKeyword
    ) {
      const owner = classOfThis(mention.expression);
      if (
        owner !== cls &&
        owner !== undefined &&
        !extendsClass(owner, cls) &&
        !extendsClass(cls, owner)
      )
        continue; // another class's own field of that name
      const parent = mention.parent;
      let at = parent;
      while (ts.isParenthesizedExpression(at)) at = at.parent;
      if (
        owner === cls &&
        ts.isBinaryExpression(parent) &&
        parent.left === mention &&
        parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isExpressionStatement(parent.parent)
      ) {
        const read = clockOf(bare(parent.right));
        if (read !== undefined && (clock === undefined || clock === read)) {
          clock = read;
          writes.push(parent);
          continue;
        }
      }
      if (
        owner === cls &&
        ts.isBinaryExpression(parent) &&
        parent.right === mention &&
        parent.operatorToken.kind === ts.SyntaxKind.MinusToken
      ) {
        const read = clockOf(bare(parent.left));
        if (read !== undefined && (clock === undefined || clock === read)) {
          clock = read;
          reads.push(parent);
          continue;
        }
      }
    }
    if (ts.isPropertyDeclaration(mention)) continue;
    return refuse(
      `the field \`${field}\` is also read or written at line ${lineOf(file, mention)} (\`${excerpt(file, mention.parent)}\`); one timer observes one elapsed time`,
    );
  }
  if (declaration !== undefined && declaration.initializer !== undefined) {
    const init = bare(declaration.initializer);
    const initClock = clockOf(init);
    if (initClock !== undefined && clock !== undefined && initClock !== clock)
      return refuse(`the field \`${field}\` starts with another clock than its marks`);
    if (
      initClock === undefined &&
      !ts.isNumericLiteral(init) &&
      init.kind !== ts.SyntaxKind.NullKeyword &&
      init.getText(file) !== "undefined"
    )
      return refuse(
        `the field \`${field}\` starts with \`${init.getText(file).slice(0, 40)}\`, not a number or a clock read`,
      );
  }
  const startsAtConstruction =
    declaration?.initializer !== undefined && clockOf(bare(declaration.initializer)) !== undefined;
  if (writes.length === 0 && !startsAtConstruction)
    return refuse(`the start mark \`${shown}\` is never set from a clock in its class`);
  if (reads.length !== 1)
    return refuse(
      `the start mark \`${shown}\` is read ${reads.length} times for an elapsed time; one timer observes one`,
    );
  const read = reads[0] as ts.BinaryExpression;
  const markClock = clock as string;
  if (CLOCKS[markClock] === undefined)
    return refuse(`the start mark \`${shown}\` is read from a clock the timer does not replace`);
  for (let n: ts.Node = read.parent; !isFunctionLike(n) && !ts.isSourceFile(n); n = n.parent)
    if (ts.isIterationStatement(n, false))
      return refuse(
        "the elapsed time is read in a loop the start mark is outside of: the timer would observe each pass",
      );
  const javascript = isJavaScript(file.fileName);
  // Set in the constructor's own statements: the field holds a timer before any method runs.
  const constructed =
    startsAtConstruction ||
    writes.some(
      (w) =>
        ts.isExpressionStatement(w.parent) &&
        ts.isBlock(w.parent.parent) &&
        ts.isConstructorDeclaration(w.parent.parent.parent) &&
        w.parent.parent.parent.parent === cls,
    );
  if (declaration === undefined && !javascript)
    return refuse(`the field \`${field}\` is not declared in its class`);
  const seconds = secondsDivision(read, markClock, file);
  // A JavaScript field never declared holds nothing until its mark: read before, the elapsed time
  // was NaN (`Date.now() - undefined`), as `this.stop?.() * 1000` is.
  const optional = declaration === undefined && !constructed;
  if (optional && (seconds !== undefined || markClock === "process.hrtime.bigint"))
    return refuse(
      `the field \`${field}\` holds nothing until its mark is set, and the elapsed time read before that would change from NaN`,
    );
  // Names: the metric after the class and what the field measures, the field after the metric.
  const prefix = ts.isPrivateIdentifier(access.name) ? "#" : field.startsWith("_") ? "_" : "";
  const measured = snake(field)
    .split("_")
    .filter((w) => w !== "" && !MARK_WORDS.has(w));
  const base = [...snake(cls.name?.text ?? "").split("_"), ...measured].filter((w) => w !== "");
  const words = base.length === 0 ? ["operation"] : base;
  const metric = `${words.join("_")}_duration_seconds`;
  const taken = new Set([
    ...input.names,
    ...cls.members.flatMap((m) => (m.name === undefined ? [] : [m.name.getText(file)])),
  ]);
  const timerField = freeName(
    taken,
    `${prefix}stop${words.map((w) => (w[0]?.toUpperCase() ?? "") + w.slice(1)).join("")}Timer`,
  );
  const monitor = input.shared.importInto(file, input.names, "monitor");
  const start = `${monitor.local}.startTimer(${JSON.stringify(metric)})`;
  const edits: TextEdit[] = [];
  if (declaration !== undefined) {
    const kept = modifiers.map((m) => m.getText(file)).join(" ");
    const lead = kept === "" ? "" : `${kept} `;
    const typed = javascript ? "" : ": () => number";
    // The file's own style: a semicolon after the declaration only when it had one.
    const end = declaration.getText(file).endsWith(";") ? ";" : "";
    edits.push({
      start: declaration.getStart(file),
      end: declaration.getEnd(),
      text:
        constructed && !startsAtConstruction
          ? `${lead}${timerField}${typed}${end}`
          : `${lead}${timerField} = ${start}${end}`,
    });
  }
  for (const w of writes)
    edits.push({
      start: w.getStart(file),
      end: w.getEnd(),
      text: `this.${timerField} = ${start}`,
    });
  const end = optional ? `this.${timerField}?.` : `this.${timerField}`;
  const elapsed = seconds ?? read;
  const replaced = seconds !== undefined ? `${end}()` : CLOCKS[markClock](end);
  edits.push({
    start: elapsed.getStart(file),
    end: elapsed.getEnd(),
    text: needsParens(elapsed) && replaced.includes(" ") ? `(${replaced})` : replaced,
  });
  return {
    ok: true,
    api: "monitor.startTimer(name) in a field",
    edits,
    imports: [monitor],
    shared: ["monitor"],
    notes: [
      `the field \`${field}\` now holds a timer of the project's shared PerformanceMonitor: the duration is also observed into the histogram \`${metric}\` (rename it as you like) each time the elapsed time is read; the code it fed gets it as before${markClock === "Date.now" ? ", now with sub-millisecond precision" : ""}`,
      ...(declaration !== undefined && !constructed
        ? [
            `the timer starts when the object is made, so an elapsed time read before the first mark counts from then (it was \`${markClock}() - ${declaration.initializer?.getText(file) ?? "undefined"}\`)`,
          ]
        : []),
    ],
  };
}
