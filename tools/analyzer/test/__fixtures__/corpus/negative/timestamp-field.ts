// Date.now() stored as a timestamp field, not timed.
export function createOrder(items: string[]) {
  return { id: crypto.randomUUID(), items, createdAt: Date.now(), updatedAt: Date.now() };
}
