import { describe, expect, it } from "vitest";
import { findClones, tokenize } from "@perflayer/analyzer";
import { handler } from "./fixture-tree.ts";

const options = { minTokens: 40, minLines: 6 };

describe("findClones", () => {
  it("groups copies whose extents differ by a few boundary tokens into one class", () => {
    const streams = [
      tokenize("a.ts", `const x = 1;\n${handler("same")}`),
      tokenize("b.ts", `let y = 2;\n${handler("same")}`),
      tokenize("c.ts", handler("same")),
    ];
    const classes = findClones(streams, options);
    expect(classes).toHaveLength(1);
    expect(classes[0]?.instances.map((i) => `${i.file}:${i.startLine}`)).toEqual([
      "a.ts:3",
      "b.ts:3",
      "c.ts:2",
    ]);
  });

  it("finds a copy within one file, and none in a file without repeats", () => {
    const twice = tokenize("twice.ts", `${handler("first")}\n${handler("first")}`);
    const other = tokenize("other.ts", "export const unrelated = [1, 2, 3];\n");
    const classes = findClones([twice, other], options);
    expect(classes.map((c) => c.instances.map((i) => i.file))).toEqual([["twice.ts", "twice.ts"]]);
  });

  it("gives the same classes and ids whatever run computes them", () => {
    const streams = ["a", "b"].map((f) => tokenize(`${f}.ts`, handler("same")));
    expect(findClones(streams, options)).toEqual(findClones(streams, options));
    expect(findClones(streams, options)[0]?.id).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe("tokenize", () => {
  it("keeps every token of code denser than one token per four characters, on its line", () => {
    const items = Array.from({ length: 500 }, (_, i) => `${i % 10}`).join(",");
    const { ids, lines } = tokenize("dense.ts", `x=[${items}]\ny=/a/`);
    // x = [ 500 literals, 499 commas ] ; then y = /a/ on line 2
    expect(ids).toHaveLength(3 + 500 + 499 + 1 + 3);
    expect(ids[3]).toBe(ids[5]); // literals collapse to one id
    expect(new Set(lines.subarray(0, 1003))).toEqual(new Set([1]));
    expect([...lines.subarray(1003)]).toEqual([2, 2, 2]);
  });
});
