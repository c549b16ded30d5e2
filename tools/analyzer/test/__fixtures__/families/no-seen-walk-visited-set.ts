// A recursive walk's visited set, handed down the recursion: an assign that stops on a cycle keeps
// the entities it has reached in its options, made by the first call. It is not kept across
// calls: each walk starts with its own set.
// expect: none
interface AssignOptions {
  visited?: Set<object>;
  deep?: boolean;
}

export function assign(
  entity: Record<string, unknown>,
  data: Record<string, unknown>,
  options: AssignOptions = {},
): object {
  const opts = options;
  if (opts.visited?.has(entity)) {
    return entity;
  }
  opts.visited ??= new Set();
  opts.visited.add(entity);
  for (const [key, value] of Object.entries(data)) {
    const current = entity[key];
    if (
      typeof current === "object" &&
      current !== null &&
      typeof value === "object" &&
      value !== null
    )
      assign(current as Record<string, unknown>, value as Record<string, unknown>, opts);
    else entity[key] = value;
  }
  return entity;
}
