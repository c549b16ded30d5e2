import { ts } from "ts-morph";

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
