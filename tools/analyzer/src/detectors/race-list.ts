import { ts } from "ts-morph";
import { callee, topStatement, walk } from "../ast.js";
import { unwrap } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";
import { bindingOf } from "./local-binding.js";

/** The promises a race is given, and the statements outside the race that build its list. */
export interface RaceList {
  readonly elements: readonly ts.Node[];
  /** Each statement that puts a side into a kept list (its declaration, a push), with the sides. */
  readonly statements: readonly {
    readonly statement: ts.Node;
    readonly sides: readonly ts.Node[];
  }[];
}

/**
 * The statements of a kept list that put `side` into it: the race's own lines for that side
 * (the declaration when it holds the side, else the push that adds it).
 * @param list - what {@link raceList} found
 * @param side - one of the raced promises
 * @returns the statements, in source order
 */
export function statementsOf(list: RaceList, side: ts.Node): ts.Node[] {
  return list.statements.filter((s) => s.sides.includes(side)).map((s) => s.statement);
}

/**
 * What `race(list)` races: the elements of an array written in the call, or of a local array of
 * the race's own function (`const promises = [work]`) with what that function pushes onto the same
 * binding (`if (timeout) promises.push(timer)`) — by binding, not by name. The declaration and the
 * pushes are the race's own statements.
 * @param race - a `race(…)` call
 * @returns the raced promises and the statements that build a kept list, or undefined
 */
export function raceList(race: ts.CallExpression): RaceList | undefined {
  const list = race.arguments[0];
  if (list === undefined) return undefined;
  const u = unwrap(list);
  if (ts.isArrayLiteralExpression(u)) return { elements: u.elements, statements: [] };
  if (!ts.isIdentifier(u)) return undefined;
  const declared = bindingOf(u, u.text);
  const fn = functionOf(race);
  if (
    declared === undefined ||
    !ts.isVariableDeclaration(declared) ||
    declared.initializer === undefined ||
    !ts.isArrayLiteralExpression(unwrap(declared.initializer)) ||
    functionOf(declared) !== fn
  )
    return undefined;
  const elements: ts.Node[] = [
    ...(unwrap(declared.initializer) as ts.ArrayLiteralExpression).elements,
  ];
  const statements = [{ statement: topStatement(declared), sides: [...elements] }];
  let reassigned = false;
  walk(fn, (n) => {
    if (!ts.isIdentifier(n) || n.text !== u.text || n === declared.name) return;
    if (bindingOf(n, n.text) !== declared) return;
    const p = n.parent;
    // `promises.push(timer)`: another side of the race, in the race's function.
    if (
      ts.isPropertyAccessExpression(p) &&
      p.expression === n &&
      ts.isCallExpression(p.parent) &&
      p.parent.expression === p &&
      callee(p.parent)?.endsWith(".push") === true &&
      functionOf(p.parent) === fn
    ) {
      elements.push(...p.parent.arguments);
      // `if (ms) { promises.push(timer) }`: the `if` that holds only the push is its statement.
      let statement = topStatement(p.parent);
      const block = statement.parent;
      if (
        ts.isBlock(block) &&
        block.statements.length === 1 &&
        ts.isIfStatement(block.parent) &&
        block.parent.elseStatement === undefined
      )
        statement = block.parent;
      statements.push({ statement, sides: [...p.parent.arguments] });
      return;
    }
    if (ts.isBinaryExpression(p) && p.left === n) reassigned = true;
  });
  return reassigned ? undefined : { elements, statements };
}
