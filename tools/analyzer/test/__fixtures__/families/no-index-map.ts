// A Map used as an index over a list.
// expect: none
export function indexById<T extends { id: string }>(items: T[]): Map<string, T> {
  const byId = new Map<string, T>();
  for (const item of items) byId.set(item.id, item);
  return byId;
}
export function lookup<T>(index: Map<string, T>, id: string): T | undefined {
  return index.get(id);
}
