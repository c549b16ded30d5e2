// A deadline check: the elapsed time is only compared with the budget.
// expect: none
export async function drain(next: () => Promise<boolean>, budgetMs: number): Promise<void> {
  const started = Date.now();
  while (await next()) {
    if (Date.now() - started > budgetMs) throw new Error("drain took too long");
  }
}
