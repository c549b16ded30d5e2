// The uses a rewrite accounts for are the identifiers that name its variable: a variable of the
// same name in another scope, and property names, are not; a `var` counts in its whole function.
import { describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import { referencesTo } from "../src/fix/binding-references.ts";

function usesOf(code: string, nth = 0): string[] {
  const file = ts.createSourceFile("x.ts", code, ts.ScriptTarget.Latest, true);
  const declarations: ts.VariableDeclaration[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && n.name.getText(file) === "map") declarations.push(n);
    ts.forEachChild(n, visit);
  };
  visit(file);
  const declaration = declarations[nth];
  if (declaration === undefined) throw new Error(`no declaration ${nth} of \`map\``);
  return referencesTo(declaration).map(
    (u) =>
      `${file.getLineAndCharacterOfPosition(u.getStart(file)).line + 1}:${u.parent.getText(file)}`,
  );
}

describe("the references to a variable", () => {
  it("leaves out a variable of the same name in another function, and property names", () => {
    const code = [
      "const map = new Map();", // 1
      "function a(k) { return map.get(k); }", // 2
      "function b(xs) { const map = new Map(); return xs.map((x) => map.get(x)); }", // 3
      "const o = { map: 1 };", // 4
      "export { map };", // 5
    ].join("\n");
    expect(usesOf(code)).toEqual(["2:map.get", "5:map"]);
    expect(usesOf(code, 1)).toEqual(["3:map.get"]);
  });

  it("leaves out the code under a parameter, a catch variable or a loop variable of that name", () => {
    const code = [
      "let map = new Map();",
      "function a(map) { return map; }",
      "try { f(); } catch (map) { g(map); }",
      "for (const map of lists) h(map);",
      "map.clear();",
    ].join("\n");
    expect(usesOf(code)).toEqual(["5:map.clear"]);
  });

  it("counts a read after a block that declares the name again, and a hoisted `var` in its whole function", () => {
    const shadow = ["const map = new Map();", "{ const map = []; map.push(1); }", "map.size;"];
    expect(usesOf(shadow.join("\n"))).toEqual(["3:map.size"]);
    const hoisted = ["function f(k) {", "  if (k) { var map = new Map(); }", "  return map;", "}"];
    expect(usesOf(hoisted.join("\n"))).toEqual(["3:return map;"]);
  });
});
