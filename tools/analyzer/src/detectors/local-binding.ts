import type { ts } from "ts-morph";
import { declarationIn } from "../scope-declarations.js";

/**
 * The declaration a bare identifier at `node` refers to, by the scopes around it (innermost first;
 * what each scope declares is {@link declarationIn}'s): a parameter, a loop or `catch` variable, a
 * hoisted `var`, an import, or a declaration among the statements of an enclosing block, `switch`,
 * function or file. Undefined for a global. Two same-named locals of different functions resolve
 * to different nodes.
 * @param node - where the name is used
 * @param name - the identifier's text
 * @returns the declaring node, or undefined
 */
export function bindingOf(node: ts.Node, name: string): ts.Node | undefined {
  for (let c = node.parent; c !== undefined; c = c.parent) {
    const d = declarationIn(c, name);
    if (d !== undefined) return d;
  }
  return undefined;
}
