// Look-alikes of a guarded retry: a poller that stops on a state of its object, and a walk over
// pages that waits between pages and moves to the next one — neither re-runs a failed attempt.
// expect: none
import { pause } from "@example/timing";

export class StatusPoller {
  halted = false;

  async check(endpoint: string): Promise<void> {
    try {
      await fetch(endpoint);
    } catch (thrown) {
      console.warn(thrown);
    }
    if (this.halted) {
      return;
    }
    await pause();
    return this.check(endpoint);
  }
}

export async function readPages(endpoint: string, page: number, last: number): Promise<void> {
  try {
    await fetch(`${endpoint}?page=${String(page)}`);
  } catch (thrown) {
    console.warn(thrown);
  }
  if (page >= last) {
    return;
  }
  await pause(100);
  return readPages(endpoint, page + 1, last);
}
