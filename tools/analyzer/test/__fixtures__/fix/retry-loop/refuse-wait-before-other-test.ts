// The wait before the attempt depends on more than the attempt: not a wait between attempts.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function reopen(open: () => Promise<number>, slow: boolean): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0 && slow) await sleep(1_000);
    try {
      return await open();
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
