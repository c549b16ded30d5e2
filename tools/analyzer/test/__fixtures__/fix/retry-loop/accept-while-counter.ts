// A while loop whose failures are counted first thing in the catch, giving up at `max`.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function poll<T>(read: () => Promise<T>, max: number): Promise<T> {
  let tries = 0;
  while (true) {
    try {
      return await read();
    } catch (error) {
      tries += 1;
      if (tries >= max) throw error;
      await sleep(500);
    }
  }
}
