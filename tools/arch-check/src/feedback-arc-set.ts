/** An edge to cut, with how much of the tangle runs through it. */
export interface CutEdge {
  /** The importing node. */
  readonly from: string;
  /** The imported node. */
  readonly to: string;
  /**
   * Nodes on the cycles this edge closes once the other cut edges are gone (the nodes on paths
   * from `to` back to `from` in what remains): cutting the edges with most first pays most.
   */
  readonly cycleNodes: number;
}

/** What {@link feedbackArcSet} returns. */
export interface FeedbackArcSet {
  /** How many edges run inside the component. */
  readonly edges: number;
  /** The edges to cut, those closing the most cycles first. */
  readonly cut: CutEdge[];
  /** The size of Eades–Lin–Smyth's greedy cut alone (never smaller than `cut`). */
  readonly greedyCut: number;
}

/** A component as integer adjacency lists (node i's targets and sources). */
interface Adjacency {
  readonly out: number[][];
  readonly inc: number[][];
}

/**
 * Eades–Lin–Smyth's greedy ordering: sinks to the back, sources to the front, otherwise the node
 * with the largest out-degree minus in-degree to the front. Edges pointing backwards in the order
 * form a feedback arc set.
 */
function greedyOrder({ out, inc }: Adjacency): number[] {
  const n = out.length;
  const outDeg = out.map((t) => t.length);
  const inDeg = inc.map((f) => f.length);
  const alive = new Uint8Array(n).fill(1);
  let left = n;
  const front: number[] = [];
  const back: number[] = [];
  const remove = (v: number): void => {
    alive[v] = 0;
    left--;
    for (const t of out[v] as number[]) if (alive[t] === 1) (inDeg[t] as number)--;
    for (const f of inc[v] as number[]) if (alive[f] === 1) (outDeg[f] as number)--;
  };
  while (left > 0) {
    let changed = true;
    while (changed) {
      changed = false;
      for (let v = 0; v < n; v++) {
        if (alive[v] === 0) continue;
        if (outDeg[v] === 0) back.push(v);
        else if (inDeg[v] === 0) front.push(v);
        else continue;
        remove(v);
        changed = true;
      }
    }
    if (left === 0) break;
    let best = -1;
    let bestDelta = -Infinity;
    for (let v = 0; v < n; v++)
      if (alive[v] === 1 && (outDeg[v] as number) - (inDeg[v] as number) > bestDelta) {
        best = v;
        bestDelta = (outDeg[v] as number) - (inDeg[v] as number);
      }
    front.push(best);
    remove(best);
  }
  return [...front, ...back.reverse()];
}

function backwardEdges(order: readonly number[], { out }: Adjacency): [number, number][] {
  const position = new Int32Array(order.length);
  order.forEach((v, i) => (position[v] = i));
  const edges: [number, number][] = [];
  out.forEach((targets, from) => {
    for (const to of targets)
      if ((position[from] as number) > (position[to] as number)) edges.push([from, to]);
  });
  return edges;
}

/**
 * Moves each node to the place in the order where the fewest of its edges point backwards
 * ("sifting"), while that helps. Never makes the cut larger.
 */
function sift(order: number[], { out, inc }: Adjacency): number[] {
  const mark = new Uint8Array(order.length); // 1: in-neighbour, 2: out-neighbour, 3: both
  for (let round = 0; round < 8; round++) {
    let improved = false;
    for (const v of [...order]) {
      for (const f of inc[v] as number[]) mark[f] = (mark[f] as number) | 1;
      for (const t of out[v] as number[]) mark[t] = (mark[t] as number) | 2;
      const current = order.indexOf(v);
      order.splice(current, 1);
      // Cost at position p: in-neighbours at or after p, plus out-neighbours before p.
      let cost = 0;
      for (const u of order) if (((mark[u] as number) & 1) !== 0) cost++;
      let best = 0;
      let bestCost = cost;
      let currentCost = cost;
      for (let i = 0; i < order.length; i++) {
        const m = mark[order[i] as number] as number;
        if ((m & 1) !== 0) cost--;
        if ((m & 2) !== 0) cost++;
        if (cost < bestCost) {
          bestCost = cost;
          best = i + 1;
        }
        if (i + 1 === current) currentCost = cost;
      }
      const at = bestCost < currentCost ? best : current;
      if (at !== current) improved = true;
      order.splice(at, 0, v);
      for (const f of inc[v] as number[]) mark[f] = 0;
      for (const t of out[v] as number[]) mark[t] = 0;
    }
    if (!improved) break;
  }
  return order;
}

/** Nodes reachable from `start` over `next`, skipping the cut edges (`from * n + to`). */
function reach(start: number, next: readonly number[][], cut?: ReadonlySet<number>): Uint8Array {
  const n = next.length;
  const seen = new Uint8Array(n);
  seen[start] = 1;
  const stack = [start];
  while (stack.length > 0) {
    const v = stack.pop() as number;
    for (const t of next[v] as number[])
      if (seen[t] === 0 && cut?.has(v * n + t) !== true) {
        seen[t] = 1;
        stack.push(t);
      }
  }
  return seen;
}

function adjacency(
  component: readonly string[],
  edges: ReadonlyMap<string, ReadonlySet<string>>,
): Adjacency & { count: number; selfLoops: number[] } {
  const index = new Map(component.map((node, i) => [node, i]));
  const out: number[][] = component.map(() => []);
  const inc: number[][] = component.map(() => []);
  const selfLoops: number[] = [];
  let count = 0;
  component.forEach((from, i) => {
    for (const to of [...(edges.get(from) ?? [])].sort()) {
      const j = index.get(to);
      if (j === undefined) continue;
      count++;
      if (i === j) selfLoops.push(i);
      else {
        (out[i] as number[]).push(j);
        (inc[j] as number[]).push(i);
      }
    }
  });
  return { out, inc, count, selfLoops };
}

/**
 * The size of Eades–Lin–Smyth's feedback arc set alone, the yardstick {@link feedbackArcSet} is
 * never worse than.
 * @param component - the component's nodes
 * @param edges - the whole graph's adjacency
 * @returns the number of edges the greedy heuristic cuts
 */
export function greedyCutSize(
  component: readonly string[],
  edges: ReadonlyMap<string, ReadonlySet<string>>,
): number {
  const graph = adjacency(component, edges);
  return backwardEdges(greedyOrder(graph), graph).length + graph.selfLoops.length;
}

/**
 * A small feedback arc set of one strongly connected component: Eades–Lin–Smyth's ordering,
 * improved by sifting, then every cut edge that closes no cycle is put back (so the set is
 * minimal: each remaining edge is needed). Its size is never above the greedy heuristic's.
 * @param component - the component's nodes
 * @param edges - the whole graph's adjacency
 * @returns the number of edges inside the component, the cut (most-cycled edges first), and the
 *   size of Eades–Lin–Smyth's cut alone
 */
export function feedbackArcSet(
  component: readonly string[],
  edges: ReadonlyMap<string, ReadonlySet<string>>,
): FeedbackArcSet {
  const graph = adjacency(component, edges);
  const n = component.length;
  const greedy = greedyOrder(graph);
  const greedyCut = backwardEdges(greedy, graph).length + graph.selfLoops.length;
  const candidates = backwardEdges(sift(greedy, graph), graph);
  const cut = new Set(candidates.map(([from, to]) => from * n + to));
  const kept: [number, number][] = graph.selfLoops.map((v) => [v, v]);
  for (const [from, to] of candidates) {
    cut.delete(from * n + to);
    if (reach(to, graph.out, cut)[from] === 1) {
      cut.add(from * n + to);
      kept.push([from, to]);
    }
  }
  const reversedCut = new Set([...cut].map((key) => (key % n) * n + Math.floor(key / n)));
  return {
    edges: graph.count,
    greedyCut,
    cut: kept
      .map(([from, to]) => {
        let on = 1;
        if (from !== to) {
          const ahead = reach(to, graph.out, cut);
          const behind = reach(from, graph.inc, reversedCut);
          on = 0;
          for (let v = 0; v < n; v++) if (ahead[v] === 1 && behind[v] === 1) on++;
        }
        return { from: component[from] as string, to: component[to] as string, cycleNodes: on };
      })
      .sort(
        (a, b) =>
          b.cycleNodes - a.cycleNodes || a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
      ),
  };
}
