// Debounces that restart one timer instead of arming a new one: armed when empty and refreshed on
// every later event, and armed before a stream whose every item refreshes it (a partial batch is
// flushed once the items stop coming).
// expect: response/debounce 14-19 elim 6 "restarts it with `refresh()`"
// expect: response/debounce 27-35 elim 3 "restarts it with `refresh()`"
import { EventEmitter } from "node:events";

const bus = new EventEmitter();
let settle: ReturnType<typeof setTimeout> | null = null;
const seen: string[] = [];

export function onScript(url: string): void {
  seen.push(url);
  if (settle === null) {
    settle = setTimeout(() => bus.emit("settled", seen.length), 500);
    settle.unref();
  } else {
    settle.refresh();
  }
}

export async function drain(
  items: AsyncIterable<string>,
  send: (batch: string[]) => void,
): Promise<void> {
  const batch: string[] = [];
  const idle = setTimeout(() => send(batch.splice(0)), 250);
  try {
    for await (const item of items) {
      idle.refresh();
      batch.push(item);
      if (batch.length >= 100) send(batch.splice(0));
    }
  } finally {
    clearTimeout(idle);
  }
  if (batch.length > 0) send(batch);
}
