// A free list handed in by the caller: the take pops an object and empties it for reuse (a fresh
// plain object when the list is empty); the release pushes it back.
// expect: memory/object-pool 4-20 elim 16 "free list `pool`"
export function acquireRow(pool: Array<Record<string, unknown>>): Record<string, unknown> {
  const row = pool.pop();
  if (!row) {
    return {};
  }
  for (const key of Object.keys(row)) {
    delete row[key];
  }
  return row;
}

export function releaseRow(
  pool: Array<Record<string, unknown>>,
  row: Record<string, unknown>,
): void {
  pool.push(row);
}
