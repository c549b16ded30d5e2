// Near misses of a split keyed flow: a registry (a handler stored under the name it was handed), a
// lookup whose miss fails or hands back a default, a mark (`true`), an index built in one pass, ids
// handed out by a counter, and a deferred task.
// expect: none
type Handler = (input: string) => string;

export class Handlers {
  private readonly byName = new Map<string, Handler>();
  private readonly mocked = new Map<string, boolean>();
  private readonly byId = new Map<number, { id: number; label: string }>();

  register(name: string, handler: Handler): void {
    this.byName.set(name, handler);
  }

  run(name: string, input: string): string {
    const handler = this.byName.get(name);
    if (handler) {
      return handler(input);
    }
    throw new Error(`no handler ${name}: register it first`);
  }

  mock(name: string): void {
    this.byName.set(name.trim(), (s) => s);
    this.mocked.set(name.trim(), true);
  }

  isMocked(name: string): boolean {
    const mark = this.mocked.get(name.trim());
    if (mark !== undefined) return mark;
    return false;
  }

  index(rows: readonly { id: number; label: string }[]): void {
    for (const row of rows) this.byId.set(row.id, { id: row.id, label: row.label.trim() });
  }

  label(id: number): string {
    const row = this.byId.get(id);
    if (row) return row.label;
    return "";
  }
}

const positions = new Map<object, number>();
let next = 0;

export function intern(item: object): void {
  positions.set(item, next++);
}

export function refer(item: object, out: number[]): void {
  const at = positions.get(item);
  if (at !== undefined) {
    out.push(at);
    return;
  }
  out.push(-1);
}

const pending = new Map<string, () => Promise<void>>();

export function defer(key: string, save: (k: string) => Promise<void>): void {
  pending.set(key.toLowerCase(), () => save(key));
}

export async function flush(key: string): Promise<void> {
  const task = pending.get(key.toLowerCase());
  if (task !== undefined) {
    return task();
  }
  await Promise.resolve();
}

interface SpanNode {
  id: string;
  children: SpanNode[];
}

function createOrUpdateNode(nodes: Map<string, SpanNode>, node: SpanNode): SpanNode {
  nodes.set(node.id, node);
  return node;
}

export function parentOf(nodes: Map<string, SpanNode>, id: string): SpanNode {
  const existing = nodes.get(id);
  if (existing) {
    return existing;
  }
  return createOrUpdateNode(nodes, { id: id.trim(), children: [] });
}
