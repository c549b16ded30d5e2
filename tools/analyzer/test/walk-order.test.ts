import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { FUNCTION_KINDS, LOOP_KINDS, indexTree, walk, walkKinds } from "../src/ast.ts";

// Real code with classes, generics, JSX-free TS, call chains that start at one position
// (`a.b().c()`), decorators-free members and nested functions: the analyzer's own clone grouping.
const source = readFileSync(join(import.meta.dirname, "..", "src", "clones.ts"), "utf8");

function parse(setParentNodes: boolean): ts.SourceFile {
  return ts.createSourceFile(
    "clones.ts",
    source,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    setParentNodes,
    ts.ScriptKind.TS,
  );
}

/** Every node below `root` by `ts.forEachChild` recursion: the order a walk must keep. */
function descent(root: ts.Node): ts.Node[] {
  const found: ts.Node[] = [root];
  ts.forEachChild(root, (child) => {
    found.push(...descent(child));
  });
  return found;
}

function visited(root: ts.Node): ts.Node[] {
  const found: ts.Node[] = [];
  walk(root, (node) => found.push(node));
  return found;
}

describe("walks over an indexed file", () => {
  it("visit the same nodes in the same order as a descent, from the file and from any node in it", () => {
    const file = parse(false);
    indexTree(file);
    const all = descent(file);
    expect(all.length).toBeGreaterThan(1000);
    expect(visited(file)).toEqual(all);
    // Every 29th node as a root: statements, expressions, identifiers, tokens.
    for (let i = 0; i < all.length; i += 29) {
      const node = all[i] as ts.Node;
      expect(visited(node)).toEqual(descent(node));
    }
  });

  it("set each node's parent as the parser's setParentNodes does", () => {
    const indexed = parse(false);
    indexTree(indexed);
    const reference = descent(parse(true));
    const ours = descent(indexed);
    expect(ours.map((n) => n.kind)).toEqual(reference.map((n) => n.kind));
    const position = (nodes: ts.Node[]) => new Map(nodes.map((n, i) => [n, i]));
    const at = position(ours);
    const referenceAt = position(reference);
    const parents = ours.slice(1).map((n) => at.get(n.parent));
    expect(parents).not.toContain(undefined);
    expect(parents).toEqual(reference.slice(1).map((n) => referenceAt.get(n.parent)));
  });

  it("over several indexed files, visit each file's nodes in order, whichever was indexed last", () => {
    const files = [parse(false), parse(false), parse(false)];
    for (const file of files) indexTree(file);
    // Interleaved, as the fix prediction walks the files it plans.
    for (const file of [files[0], files[2], files[1], files[0]] as ts.SourceFile[]) {
      const node = descent(file)[57] as ts.Node;
      expect(visited(file)).toEqual(descent(file));
      expect(visited(node)).toEqual(descent(node));
      expect(visited(node).every((n) => n.parent !== undefined)).toBe(true);
    }
  });

  it("over a file that was not indexed last, still visit every node in order", () => {
    const first = parse(true);
    const second = parse(false);
    indexTree(second);
    const node = descent(first)[40] as ts.Node;
    expect(visited(first)).toEqual(descent(first));
    expect(visited(node)).toEqual(descent(node));
  });

  it("by kind, visit the nodes a walk with a kind test visits, in the same order, indexed or not", () => {
    const kindSets: (readonly ts.SyntaxKind[])[] = [
      [ts.SyntaxKind.Identifier],
      [ts.SyntaxKind.CallExpression],
      [ts.SyntaxKind.ReturnStatement, ts.SyntaxKind.IfStatement],
      FUNCTION_KINDS,
      LOOP_KINDS,
      [ts.SyntaxKind.DeleteExpression], // none in the file
    ];
    const byKinds = (root: ts.Node, kinds: readonly ts.SyntaxKind[]): ts.Node[] => {
      const found: ts.Node[] = [];
      walkKinds(root, kinds, (node) => found.push(node));
      return found;
    };
    const indexed = parse(false);
    indexTree(indexed);
    const plain = parse(true); // never indexed: the fallback walk
    for (const file of [indexed, plain]) {
      const all = descent(file);
      for (const kinds of kindSets) {
        const expected = (root: ts.Node) => descent(root).filter((n) => kinds.includes(n.kind));
        expect(byKinds(file, kinds)).toEqual(expected(file));
        // Every 37th node as a root, the root itself included when it is of a kind asked for.
        for (let i = 0; i < all.length; i += 37) {
          const node = all[i] as ts.Node;
          expect(byKinds(node, kinds)).toEqual(expected(node));
        }
      }
      expect(byKinds(file, [ts.SyntaxKind.Identifier]).length).toBeGreaterThan(100);
    }
  });
});
