// A list made on first use that later calls append to, emptied on reset: a lazily made registry
// (every call adds its own entry), not a value built once and handed out; a list built once and
// then worked through elsewhere (`shift()`) or appended to through a local, also not.
// expect: none
type Listener = (event: string) => void;

export class Emitter {
  #listeners: Listener[] | undefined;
  handlers: Listener[] | null = null;

  on(listener: Listener): Listener[] {
    if (!this.#listeners) {
      this.#listeners = [];
    }
    this.#listeners.push(listener);
    return this.#listeners;
  }

  add(handler: Listener): void {
    if (this.handlers) {
      this.handlers.push(handler);
      return;
    }
    this.handlers = [];
    this.handlers.push(handler);
  }

  reset(): void {
    this.handlers = null;
  }

  emit(event: string): void {
    for (const l of this.#listeners ?? []) l(event);
  }
}

let seenLayers: Map<string, number> | null = null;

export function layerOrder(name: string, restart: boolean): number {
  if (seenLayers !== null && restart) {
    seenLayers.clear();
  }
  if (seenLayers === null) seenLayers = new Map();
  const known = seenLayers.get(name);
  if (known !== undefined) return known;
  seenLayers.set(name, seenLayers.size);
  return seenLayers.size - 1;
}

export function endParse(): void {
  seenLayers = null;
}

export class Batcher {
  batch: number[] | null = null;

  constructor(private readonly source: () => number[]) {}

  take(): number[] {
    if (this.batch) return this.batch;
    this.batch = [];
    for (const n of this.source()) this.batch.push(n * 2);
    return this.batch;
  }

  next(): number | undefined {
    return this.batch?.shift();
  }
}

export class Collector {
  found: string[] | null = null;

  constructor(private readonly names: () => string[]) {}

  all(): string[] {
    if (this.found) return this.found;
    this.found = [];
    for (const n of this.names()) this.found.push(n.trim());
    return this.found;
  }

  add(name: string): void {
    const list = this.found;
    if (list !== null) list.push(name);
  }
}
