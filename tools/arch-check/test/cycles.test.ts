import { describe, expect, it } from "vitest";
import { findCycles, greedyCutSize } from "@perflayer/arch-check";
import { checkSrc, tempTree } from "./temp-tree.ts";

/** A deterministic random graph: `n` nodes, `m` edges (a linear congruential generator). */
function randomGraph(n: number, m: number, seed: number): Map<string, Set<string>> {
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const edges = new Map<string, Set<string>>();
  for (let i = 0; i < m; i++) {
    const from = `m${Math.floor(next() * n)}`;
    const to = `m${Math.floor(next() * n)}`;
    if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
  }
  return edges;
}

function without(
  edges: ReadonlyMap<string, ReadonlySet<string>>,
  cut: readonly { from: string; to: string }[],
): Map<string, Set<string>> {
  const removed = new Set(cut.map((e) => `${e.from}>${e.to}`));
  return new Map(
    [...edges].map(([k, v]) => [k, new Set([...v].filter((t) => !removed.has(`${k}>${t}`)))]),
  );
}

describe("the cut set", () => {
  it.each([1, 2, 3, 4, 5])(
    "breaks every cycle, needs each of its edges, and is no larger than Eades–Lin–Smyth's (graph %i)",
    (seed) => {
      const edges = randomGraph(120, 600, seed);
      const cycles = findCycles(edges);
      expect(cycles.length).toBeGreaterThan(0);
      for (const cycle of cycles) {
        expect(cycle.cut.length).toBeLessThanOrEqual(greedyCutSize(cycle.nodes, edges));
        expect(
          findCycles(without(edges, cycle.cut)).filter((c) =>
            c.nodes.some((n) => cycle.nodes.includes(n)),
          ),
        ).toEqual([]);
        // Minimal: putting back any one cut edge closes a cycle again.
        for (const edge of cycle.cut.slice(0, 10))
          expect(
            findCycles(
              without(
                edges,
                cycle.cut.filter((e) => e !== edge),
              ),
            ).length,
          ).toBeGreaterThan(0);
      }
    },
  );

  it("ranks cut edges by how many modules lie on cycles through them", () => {
    // A big ring a0…a9 and a small loop b0 ⇄ a0: cutting the ring helps more modules.
    const edges = new Map<string, Set<string>>();
    for (let i = 0; i < 10; i++) edges.set(`a${i}`, new Set([`a${(i + 1) % 10}`]));
    edges.get("a0")?.add("b0");
    edges.set("b0", new Set(["a0"]));
    const [cycle] = findCycles(edges);
    expect(cycle?.edges).toBe(12);
    expect(cycle?.cut.map((e) => e.cycleNodes)).toEqual([10, 2]);
  });
});

describe("cycle findings", () => {
  it("name the first edges to cut and how many more there are, the full list staying in the report", () => {
    const { dir, write } = tempTree("arch-cycle-");
    write("package.json", JSON.stringify({ name: "app" }));
    // Twelve modules that all import each other: many edges must go.
    const names = Array.from({ length: 12 }, (_, i) => `m${i}`);
    for (const name of names)
      write(
        `src/${name}.ts`,
        names
          .filter((n) => n !== name)
          .map((n) => `import "./${n}";\n`)
          .join(""),
      );
    const report = checkSrc(dir);
    const [cycle] = report.cycles;
    expect(cycle?.nodes).toHaveLength(12);
    expect(cycle?.cut).toHaveLength(66); // a complete graph on 12 nodes: one direction of each pair
    const finding = report.findings.find((f) => f.ruleId === "arch/cycle");
    expect(finding?.message).toContain("cutting 66 of its 132 imports breaks it, first: ");
    expect(finding?.message).toContain("; and 61 more (all in --format json or sarif)");
    expect(finding?.message.length).toBeLessThan(1000);
  });
});
