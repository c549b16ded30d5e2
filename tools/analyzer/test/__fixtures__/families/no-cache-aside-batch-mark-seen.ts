// New rows inserted once: the ids not seen yet are written in one call and then marked seen.
// Nothing is loaded and kept: the set holds keys only, filled from the list that was sent.
// expect: none
declare function insertRows(rows: { id: string }[]): Promise<number>;

const seen = new Set<string>();

export async function insertNew(rows: { id: string }[]): Promise<number> {
  const fresh = rows.filter((r) => !seen.has(r.id));
  const count = await insertRows(fresh);
  for (const row of fresh) seen.add(row.id);
  return count;
}
