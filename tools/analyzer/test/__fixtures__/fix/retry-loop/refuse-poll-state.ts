// A poll for state until a deadline: it waits for something to be ready, not for failures to pass.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitDone(status: () => Promise<string>, deadline: number): Promise<string> {
  while (Date.now() < deadline) {
    try {
      return await status();
    } catch (error) {
      if ((error as { code?: string }).code !== "PENDING") throw error;
      await sleep(200);
    }
  }
  throw new Error("not done before the deadline");
}
