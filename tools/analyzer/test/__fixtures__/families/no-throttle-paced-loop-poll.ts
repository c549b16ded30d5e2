// A poll: ask again after a pause until the job reports done. The wait is decided by a state the
// body sets (`done`), not by a count of turns — waiting for a state, not pacing work.
// expect: none
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitForJob(check: () => Promise<boolean>): Promise<void> {
  let done = false;
  while (!done) {
    done = await check();
    if (!done) {
      await pause(250);
    }
  }
}
