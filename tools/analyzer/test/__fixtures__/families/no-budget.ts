// A budget shared by a recursive helper of one call: a cap compared with a limit, not a counter.
// expect: none
export function serialize(root: unknown): string {
  const budget = { nodes: 0 };
  const visit = (value: unknown): string => {
    if (budget.nodes >= 1000) return '"<too large>"';
    budget.nodes += 1;
    if (Array.isArray(value)) return `[${value.map((v) => visit(v)).join(",")}]`;
    return JSON.stringify(value);
  };
  return check(visit(root), budget);
}

declare function check(text: string, budget: { nodes: number }): string;
