// Closing waits for the pool to drain, raced against a helper that sleeps and then throws a
// timeout error.
//
// expect: response/timeout-race 8-13 elim 5 "`Promise.race` of the work against a timer"
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function close(drained: () => Promise<void>, closeTimeout: number): Promise<void> {
  const throwAfter = async (ms: number): Promise<never> => {
    await sleep(ms);
    throw new Error(`close timed out after ${String(ms)} ms`);
  };
  try {
    await Promise.race([drained(), throwAfter(closeTimeout)]);
  } catch (error) {
    console.error(error);
  }
}
