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
