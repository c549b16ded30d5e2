// The catch block's test counts failures as it checks them: state outside the loop changes.
let seen = 0;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function fetchTwice<T>(get: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return await get();
    } catch (error) {
      lastError = error;
      if (++seen > 10) throw error;
      await sleep(20);
    }
  }
  throw lastError;
}

export const seenFailures = (): number => seen;
