// Lengths in arithmetic that bounds no memory: a diagonal index derived from two sequence lengths,
// and a count of items to display kept under a line budget.
// expect: none
export function overlaps(aLength: number, bLength: number, d: number, k: number): boolean {
  const deltaLength = bLength - aLength;
  const kMax = deltaLength + d;
  return kMax >= k;
}

export function fitGroups(groups: readonly { size: number }[], items: readonly string[], max: number): boolean {
  let shown = 0;
  for (const group of groups) {
    const size = group.size;
    shown += size;
  }
  if (shown + items.length <= max) return true;
  return false;
}

// Display lines counted by a helper of this file (its name says "size", its body counts lines).
const getItemSize = (item: { children?: readonly unknown[] }): number =>
  item.children === undefined ? 1 : item.children.length + 1;

export function fitLines(groups: readonly { children?: readonly unknown[] }[], max: number): boolean {
  let groupsSize = 0;
  for (const group of groups) groupsSize += getItemSize(group);
  if (groupsSize <= max) return true;
  return false;
}
