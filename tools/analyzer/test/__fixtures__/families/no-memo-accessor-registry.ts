// Look-alike: read and write accessors of a module store that registers a handler made for each
// name (a maker's product, kept and walked for shutdown): a registry, not a value computed and
// kept.
// expect: none
interface Handler {
  close(): void;
}

declare function createHandler(name: string): Handler;

const handlers = new Map<string, Handler>();

function addHandler(name: string, handler: Handler): void {
  handlers.set(name, handler);
}

function findHandler(name: string): Handler | undefined {
  return handlers.get(name);
}

export function handlerFor(name: string): Handler {
  let handler = findHandler(name);
  if (!handler) {
    handler = createHandler(name);
    addHandler(name, handler);
  }
  return handler;
}

export function closeAll(): void {
  for (const handler of handlers.values()) handler.close();
}
