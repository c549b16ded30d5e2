// A time left of a budget kept in a module variable and compared by another function: a deadline,
// no measurement.
// expect: none
let remaining = 0;

export function start(budgetMs: number, startedAt: number): void {
  remaining = budgetMs - (Date.now() - startedAt);
}

export function expired(): boolean {
  return remaining <= 0;
}
