// A lookup raced against a helper that sleeps and then answers a default value: nothing fails
// when the timer wins, it is a fallback, not a timeout.
// expect: none
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function lookupOrDefault(lookup: () => Promise<string>, ms: number): Promise<string> {
  const fallback = async (wait: number): Promise<string> => {
    await sleep(wait);
    return "default";
  };
  return Promise.race([lookup(), fallback(ms)]);
}
