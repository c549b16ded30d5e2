// Per-key state, not a memo: the empty record is stored first and filled after the write (a
// registry of tallies), and the other store's local gets only a given value on the miss.
// expect: none
const tallies = new Map<string, Record<string, number>>();

export function tallyFor(key: string, fields: readonly string[]): Record<string, number> {
  let tally = tallies.get(key);
  if (tally === undefined) {
    tally = {};
    tallies.set(key, tally);
    for (const field of fields) {
      tally[field] = 0;
    }
  }
  return tally;
}

const owners = new Map<string, string>();

export function ownerOf(key: string, fallback: string): string {
  if (owners.has(key)) return owners.get(key) as string;
  let owner = fallback;
  if (owner === "") owner = "nobody";
  owners.set(key, owner);
  return owner;
}
