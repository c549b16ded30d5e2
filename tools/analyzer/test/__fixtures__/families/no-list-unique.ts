// Lists kept unique while they are built, then iterated: data, not a record of what was handled.
// expect: none
export class Columns {
  readonly names: string[] = [];

  add(name: string): void {
    if (!this.names.includes(name)) this.names.push(name);
  }

  select(): string {
    return this.names.map((n) => `"${n}"`).join(", ");
  }
}

export function register(list: { id: string }[], id: string): { id: string } {
  let item = list.find((i) => i.id === id);
  if (!item) {
    item = { id };
    list.push(item);
  }
  return item;
}

export async function sync(
  existing: { name: string }[],
  wanted: string[],
  create: (name: string) => Promise<void>,
): Promise<void> {
  for (const name of wanted) {
    const found = existing.find((e) => e.name === name);
    if (found) continue;
    await create(name);
    existing.push({ name: name.trim() });
  }
}

export function enableTypes(options: { types: string[] }, type: string): void {
  if (!options.types.includes(type)) options.types.push(type);
}
