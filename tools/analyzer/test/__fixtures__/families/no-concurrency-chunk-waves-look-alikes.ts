// Look-alikes of waves: a Promise.all over the whole list bounds nothing, a chunk handed to one
// call is a batch (one request per turn), and groups split by a key or a rule have any size.
// expect: none
import { chunk, groupBy } from "./chunk-list.js";
import { insert, send } from "./send.js";

export async function all(ids: string[]): Promise<void> {
  for (const id of ids) await send(id);
  await Promise.all(ids.map((id) => send(id)));
}

export async function batches(rows: string[]): Promise<void> {
  for (const batch of chunk(rows, 500)) {
    await insert(batch);
  }
}

export async function byKind(items: { kind: string; id: string }[]): Promise<void> {
  for (const group of groupBy(items, "kind")) {
    await Promise.all(group.map((item) => send(item.id)));
  }
  const isUrgent = (item: { id: string }): boolean => item.id.startsWith("u");
  for (const group of groupBy(items, isUrgent)) {
    await Promise.all(group.map((item) => send(item.id)));
  }
}

export async function phases(stages: string[][]): Promise<void> {
  for (const stage of stages) {
    await Promise.all(stage.map((id) => send(id)));
  }
}
