// Retries until it succeeds: no number of attempts to carry over.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function connect(open: () => Promise<WebSocket>): Promise<WebSocket> {
  while (true) {
    try {
      return await open();
    } catch (error) {
      if (error instanceof TypeError) throw error;
      await sleep(1_000);
    }
  }
}
