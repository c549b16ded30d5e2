// A recursive walk's visited set, handed down by the caller: an assign that stops on a cycle keeps
// the entities it has reached in its options, a serialiser in the context made for the root call.
// Neither is kept across calls: each walk starts with its own set.
// expect: none
interface AssignOptions {
  visited?: Set<object>;
  deep?: boolean;
}

interface Context {
  root: { visited: Set<object> };
}

const contexts = new WeakMap<object, Context>();

function contextOf(entity: object): Context {
  return contexts.get(entity) ?? { root: { visited: new Set() } };
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

export function serialize(entity: Record<string, unknown>): Record<string, unknown> {
  const root = contextOf(entity).root;
  const out: Record<string, unknown> = {};
  if (root.visited.has(entity)) {
    return out;
  }
  root.visited.add(entity);
  for (const [key, value] of Object.entries(entity))
    out[key] =
      typeof value === "object" && value !== null
        ? serialize(value as Record<string, unknown>)
        : value;
  return out;
}
