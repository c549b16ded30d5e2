// Owners recorded per object by one function and looked up by another: a miss answers "no owner",
// nothing is computed. An index, not a memo.
// expect: none
interface Owner {
  readonly name: string;
}

const owners = new WeakMap<object, Owner>();

export function adopt(item: object, owner: Owner): void {
  owners.set(item, owner);
}

export function ownerOf(item: object): Owner | null {
  const owner = owners.get(item);
  if (owner !== undefined) {
    return owner;
  }
  return null;
}
