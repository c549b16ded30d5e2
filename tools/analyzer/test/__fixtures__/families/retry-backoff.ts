// Up to five attempts with a doubling pause between them.
// expect: response/retry-backoff 4-16 elim 13 "catches a failure and waits"
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
export async function send(post: () => Promise<void>): Promise<void> {
  let delay = 100;
  for (let attempt = 1; ; attempt++) {
    try {
      await post();
      return;
    } catch (error) {
      if (attempt === 5) throw error;
      await sleep(delay);
      delay *= 2;
    }
  }
}
