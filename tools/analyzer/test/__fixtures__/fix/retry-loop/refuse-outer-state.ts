// The attempt counts failures into a module variable: the loop mutates outer state.
let failures = 0;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function send(post: () => Promise<void>): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      failures++;
      return await post();
    } catch (error) {
      lastError = error;
      await sleep(100);
    }
  }
  throw lastError;
}

export const failureCount = (): number => failures;
