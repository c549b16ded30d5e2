// A while loop whose attempts are counted inside the catch: the number of attempts is not clear.
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
