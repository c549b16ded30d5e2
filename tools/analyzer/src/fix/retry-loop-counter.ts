import { ts } from "ts-morph";
import { mentions } from "./statement-facts.js";

/** The counted loop: `for (let i = start; i < limit; i++)`. */
export interface Counter {
  readonly name: string;
  readonly start: 0 | 1;
  readonly inclusive: boolean;
  readonly limit: string;
}

const squash = (text: string): string => text.replace(/\s+/g, "");

export function counterOf(loop: ts.ForStatement, file: ts.SourceFile): Counter | string {
  const init = loop.initializer;
  const declaration =
    init !== undefined && ts.isVariableDeclarationList(init) && init.declarations.length === 1
      ? init.declarations[0]
      : undefined;
  if (declaration === undefined || !ts.isIdentifier(declaration.name))
    return "the loop does not declare one counter";
  const name = declaration.name.text;
  const start = declaration.initializer?.getText(file);
  if (start !== "0" && start !== "1") return `the counter starts at ${String(start)}, not 0 or 1`;
  const condition = loop.condition;
  if (
    condition === undefined ||
    !ts.isBinaryExpression(condition) ||
    condition.left.getText(file) !== name ||
    (condition.operatorToken.kind !== ts.SyntaxKind.LessThanToken &&
      condition.operatorToken.kind !== ts.SyntaxKind.LessThanEqualsToken)
  )
    return "the loop's condition is not `counter < attempts`";
  const step = loop.incrementor === undefined ? "" : squash(loop.incrementor.getText(file));
  if (![`${name}++`, `++${name}`, `${name}+=1`].includes(step))
    return "the counter does not go up by one";
  return {
    name,
    start: start === "0" ? 0 : 1,
    inclusive: condition.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken,
    limit: condition.right.getText(file),
  };
}

/** Attempts the loop makes, as source text. */
export function attemptsOf(counter: Counter): string {
  const offset = (counter.inclusive ? 1 : 0) - counter.start;
  if (offset === 0) return counter.limit;
  if (/^\d+$/.test(counter.limit)) return String(Number(counter.limit) + offset);
  return `${counter.limit} ${offset > 0 ? "+" : "-"} 1`;
}

/** `counter` is the last attempt (`i === n - 1`, `i + 1 >= n`, …), or there are more (`i < n - 1`). */
export function attemptTest(
  condition: ts.Expression,
  counter: Counter,
  file: ts.SourceFile,
): "last" | "more" | undefined {
  const c = counter.name;
  const n = squash(counter.limit);
  const lastAt = counter.inclusive ? n : `${n}-1`;
  const text = squash(condition.getText(file));
  const last = [
    `${c}===${lastAt}`,
    `${c}>=${lastAt}`,
    `${c}+1===${counter.inclusive ? `${n}+1` : n}`,
  ];
  if (!counter.inclusive) last.push(`${c}+1>=${n}`, `${c}>=${n}-1`);
  const more = [`${c}<${lastAt}`];
  if (!counter.inclusive) more.push(`${c}+1<${n}`);
  if (last.includes(text)) return "last";
  if (more.includes(text)) return "more";
  return undefined;
}

/** A loop that counts its failures in the catch: `let n = 0; while (…) { try … catch { n++; … } }`. */
export interface FailureCounter {
  /** As a counted loop's counter: after the increment it is the number of the attempt that failed. */
  readonly counter: Counter;
  /** `let n = 0;` just before the loop. */
  readonly declaration: ts.VariableStatement;
  /**
   * The catch statement that counts (`n++;`, or the `if (++n >= max) throw error;` that also
   * tests); none when the loop's condition counts (`while (n++ < max)`).
   */
  readonly increment?: ts.Statement;
  /** Whether the loop gives up by itself (`while (n < max)`), else a test in the catch throws. */
  readonly bounded: boolean;
}

const incremented = (node: ts.Node, name: string): boolean => {
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node))
    return node.operator === ts.SyntaxKind.PlusPlusToken && node.operand.getText() === name;
  return (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken &&
    node.left.getText() === name &&
    node.right.getText() === "1"
  );
};

/**
 * The failure counter of a `while (true)` / `for (;;)` / `while (n < max)` retry loop: declared
 * `let n = 0` just before it and counted first thing in the catch (`n++`, `n += 1`, or
 * `if (++n >= max) throw error`), or why the loop is not one (a poll for state is not a retry).
 */
export function failureCounterOf(
  loop: ts.WhileStatement | ts.ForStatement,
  catchBlock: ts.Block,
  file: ts.SourceFile,
): FailureCounter | string {
  const condition = ts.isWhileStatement(loop) ? loop.expression : loop.condition;
  if (ts.isForStatement(loop) && (loop.initializer !== undefined || loop.incrementor !== undefined))
    return "the loop's counter is not a plain counted `for`";
  const block = loop.parent;
  const index = ts.isBlock(block) ? block.statements.indexOf(loop) : -1;
  const before = ts.isBlock(block) ? block.statements.slice(Math.max(0, index - 2), index) : [];
  const first = catchBlock.statements.find(
    (s) =>
      !(
        ts.isExpressionStatement(s) &&
        ts.isBinaryExpression(s.expression) &&
        s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
      ),
  );
  const counted =
    first === undefined
      ? undefined
      : ts.isExpressionStatement(first)
        ? first.expression
        : ts.isIfStatement(first) && ts.isBinaryExpression(first.expression)
          ? first.expression.left
          : undefined;
  const name =
    counted !== undefined &&
    (ts.isPrefixUnaryExpression(counted) ||
      ts.isPostfixUnaryExpression(counted) ||
      ts.isBinaryExpression(counted))
      ? ts.isBinaryExpression(counted)
        ? counted.left.getText(file)
        : counted.operand.getText(file)
      : undefined;
  const isTrue = condition === undefined || condition.kind === ts.SyntaxKind.TrueKeyword;
  if (
    name === undefined ||
    counted === undefined ||
    !incremented(counted, name) ||
    first === undefined
  )
    return isTrue
      ? "the loop counts no failures first thing in its catch (a retry without a bound, or a poll)"
      : `a poll for state: the loop runs while \`${condition.getText(file)}\`, not for a number of failed attempts`;
  if (ts.isIfStatement(first) && !ts.isPrefixUnaryExpression(counted))
    return `the failure count is tested before it goes up (\`${first.expression.getText(file)}\`)`;
  const statement = before.find(
    (s): s is ts.VariableStatement =>
      ts.isVariableStatement(s) &&
      s.declarationList.declarations.length === 1 &&
      s.declarationList.declarations[0]?.name.getText(file) === name &&
      s.declarationList.declarations[0].initializer?.getText(file) === "0",
  );
  if (statement === undefined)
    return `the failure counter \`${name}\` is not declared \`let ${name} = 0\` just before the loop`;
  let limit: string | undefined;
  if (!isTrue) {
    if (
      !ts.isBinaryExpression(condition) ||
      condition.left.getText(file) !== name ||
      (condition.operatorToken.kind !== ts.SyntaxKind.LessThanToken &&
        condition.operatorToken.kind !== ts.SyntaxKind.LessThanEqualsToken)
    )
      return `a poll for state: the loop runs while \`${condition.getText(file)}\`, not for a number of failed attempts`;
    // After n failures the loop goes on while n < max: max attempts (max + 1 with <=).
    limit =
      condition.operatorToken.kind === ts.SyntaxKind.LessThanToken
        ? condition.right.getText(file)
        : attemptsOf({ name, start: 0, inclusive: true, limit: condition.right.getText(file) });
  }
  return {
    counter: { name, start: 1, inclusive: true, limit: limit ?? "" },
    declaration: statement,
    increment: first,
    bounded: limit !== undefined,
  };
}

/** `let name = …;` among the two statements just before the loop, with its initializer's text. */
function declaredBefore(
  loop: ts.WhileStatement,
  name: string,
  file: ts.SourceFile,
): { statement: ts.VariableStatement; init: string } | undefined {
  const block = loop.parent;
  if (!ts.isBlock(block)) return undefined;
  const index = block.statements.indexOf(loop);
  for (const s of block.statements.slice(Math.max(0, index - 2), index)) {
    if (!ts.isVariableStatement(s)) continue;
    const [d, more] = s.declarationList.declarations;
    if (d !== undefined && more === undefined && d.name.getText(file) === name)
      return d.initializer === undefined
        ? undefined
        : { statement: s, init: d.initializer.getText(file) };
  }
  return undefined;
}

/**
 * The counter of a `while` loop whose condition counts the attempts: `while (n++ < max)`,
 * `while (++n <= max)` (`let n = 0` just before; in the body `n` is the attempt's number, from 1)
 * or `while (left-- > 0)` (`let left = N`: N attempts, the countdown read nowhere else in the loop).
 * @returns the counter, why such a loop cannot be carried over, or undefined for another condition
 */
export function conditionCounterOf(
  loop: ts.WhileStatement,
  file: ts.SourceFile,
): FailureCounter | string | undefined {
  const condition = loop.expression;
  if (!ts.isBinaryExpression(condition)) return undefined;
  const { left, operatorToken, right } = condition;
  const op = operatorToken.kind;
  const step =
    ts.isPrefixUnaryExpression(left) || ts.isPostfixUnaryExpression(left) ? left : undefined;
  if (step === undefined || !ts.isIdentifier(step.operand)) return undefined;
  const name = step.operand.text;
  const prefix = ts.isPrefixUnaryExpression(step);
  const declared = declaredBefore(loop, name, file);
  if (step.operator === ts.SyntaxKind.MinusMinusToken) {
    if (prefix || op !== ts.SyntaxKind.GreaterThanToken || right.getText(file) !== "0")
      return undefined;
    if (declared === undefined)
      return `the countdown \`${name}\` is not declared \`let ${name} = attempts\` just before the loop`;
    if (mentions(loop.statement, name))
      return `the countdown \`${name}\` is read in the loop (only a count the condition alone keeps is carried over)`;
    return {
      counter: { name, start: 1, inclusive: true, limit: declared.init },
      declaration: declared.statement,
      bounded: true,
    };
  }
  if (op !== ts.SyntaxKind.LessThanToken && op !== ts.SyntaxKind.LessThanEqualsToken)
    return undefined;
  if (declared === undefined || declared.init !== "0")
    return `the attempt counter \`${name}\` is not declared \`let ${name} = 0\` just before the loop`;
  // In the body the counter is the attempt's number (from 1); the loop goes on while the number
  // before (postfix) or after (prefix) the step passes the test.
  const limit = right.getText(file);
  const inclusive = op === ts.SyntaxKind.LessThanEqualsToken;
  const attempts = prefix
    ? attemptsOf({ name, start: 1, inclusive, limit })
    : attemptsOf({ name, start: 0, inclusive, limit });
  return {
    counter: { name, start: 1, inclusive: true, limit: attempts },
    declaration: declared.statement,
    bounded: true,
  };
}
