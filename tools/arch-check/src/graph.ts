import { feedbackArcSet } from "./feedback-arc-set.js";
import type { CutEdge } from "./feedback-arc-set.js";

/** A strongly connected component of a directed graph, with edges to cut to break it. */
export interface Cycle {
  /** The nodes, sorted. */
  readonly nodes: readonly string[];
  /** How many edges run between its nodes. */
  readonly edges: number;
  /**
   * A small set of edges whose removal breaks every cycle in the component (a feedback arc set:
   * Eades–Lin–Smyth, improved by moving nodes and by putting back every edge that closes no
   * cycle), the edges on the most cycles first.
   */
  readonly cut: readonly CutEdge[];
  /** The size of Eades–Lin–Smyth's greedy cut alone, which `cut` never exceeds. */
  readonly greedyCut: number;
}

/**
 * Finds the strongly connected components with more than one node (or a self-loop) — one report per
 * tangle instead of one per module — and a small set of edges to cut that leaves it acyclic.
 * @param edges - adjacency: node → targets
 * @returns the cycles, largest first
 */
export function findCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): Cycle[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const nodes = new Set<string>([...edges.keys()]);
  for (const targets of edges.values()) for (const t of targets) nodes.add(t);
  // Iterative Tarjan (deep graphs would overflow a recursive one).
  for (const start of [...nodes].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; targets: string[]; i: number }[] = [];
    const open = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, targets: [...(edges.get(node) ?? [])].sort(), i: 0 });
    };
    open(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; targets: string[]; i: number };
      if (frame.i < frame.targets.length) {
        const next = frame.targets[frame.i++] as string;
        if (!index.has(next)) open(next);
        else if (onStack.has(next))
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(next) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined)
        low.set(
          parent.node,
          Math.min(low.get(parent.node) as number, low.get(frame.node) as number),
        );
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && edges.get(frame.node)?.has(frame.node) === true;
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components
    .map((component) => ({ nodes: component, ...feedbackArcSet(component, edges) }))
    .sort(
      (a, b) =>
        b.nodes.length - a.nodes.length ||
        (a.nodes[0] as string).localeCompare(b.nodes[0] as string),
    );
}
