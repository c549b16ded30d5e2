/** One reclaimer as a reclaim plan sees it. */
export interface PlanHolding {
  /** 0 for `low` priority, 1 `normal`, 2 `high`. */
  readonly rank: number;
  /** Bytes it can give back. */
  readonly bytes: number;
}

/**
 * Spreads a byte target over holdings: lowest priority first; within a priority, in proportion to
 * what each holds, so no holding gives more than its share of the overage — a holding is emptied
 * only when its whole priority class is needed. The target is bounded by what the holdings hold.
 * @param targetBytes - bytes wanted back
 * @param holdings - what each can give, with its priority rank
 * @returns bytes to ask of each holding, in the order given
 */
export function planReclaim(targetBytes: number, holdings: readonly PlanHolding[]): number[] {
  const asks = holdings.map(() => 0);
  let remaining = Math.max(0, targetBytes);
  const ranks = [...new Set(holdings.map((h) => h.rank))].sort((a, b) => a - b);
  for (const rank of ranks) {
    if (remaining <= 0) break;
    let classBytes = 0;
    for (const h of holdings) if (h.rank === rank) classBytes += Math.max(0, h.bytes);
    if (classBytes <= 0) continue;
    const take = Math.min(remaining, classBytes);
    holdings.forEach((h, i) => {
      if (h.rank === rank) asks[i] = (take * Math.max(0, h.bytes)) / classBytes;
    });
    remaining -= take;
  }
  return asks;
}
