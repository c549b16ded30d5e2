// Busy flags that turn overlapping calls away while one is in flight: a refresh whose promise
// lowers the flag on either outcome, and a file-change handler whose restart callback lowers it.
// expect: response/concurrency-limit 9-20 elim 12 "turns calls away while one is in flight"
// expect: response/concurrency-limit 29-41 elim 13 "turns calls away while one is in flight"
import type { EventEmitter } from "node:events";

export class Topology {
  private refreshing = false;
  refresh(fetchNodes: () => Promise<string[]>): void {
    if (this.refreshing) return;
    this.refreshing = true;
    fetchNodes()
      .then((nodes) => {
        this.refreshing = false;
        this.nodes = nodes;
      })
      .catch(() => {
        this.refreshing = false;
      });
  }
  nodes: string[] = [];
}

export function watch(
  changes: EventEmitter,
  restart: (done: (err?: Error) => void) => void,
): void {
  const state = { restarting: false };
  changes.on("change", () => {
    if (state.restarting === true) {
      console.log("already restarting");
      return;
    }
    state.restarting = true;
    setTimeout(() => {
      restart((err) => {
        state.restarting = false;
        if (err) console.error(err);
      });
    }, 100);
  });
}
