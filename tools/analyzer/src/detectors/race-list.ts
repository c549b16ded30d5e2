import { ts } from "ts-morph";
import { callee, topStatement, walk } from "../ast.js";
import { unwrap } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";
import { bindingOf } from "./local-binding.js";

/** The promises a race is given, and the statements outside the race that build its list. */
export interface RaceList {
  readonly elements: readonly ts.Node[];
  readonly statements: readonly ts.Node[];
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
  const statements: ts.Node[] = [topStatement(declared)];
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
      statements.push(topStatement(p.parent));
      return;
    }
    if (ts.isBinaryExpression(p) && p.left === n) reassigned = true;
  });
  return reassigned ? undefined : { elements, statements };
}
