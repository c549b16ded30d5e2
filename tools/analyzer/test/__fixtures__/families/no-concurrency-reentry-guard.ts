// Flags that look like busy flags but limit nothing in flight: a re-entrancy guard around
// synchronous work (lowered in the same turn, also inside a callback), a start-once flag that is
// never lowered, a periodic tick skipped while the last one runs, and a service loop's flag.
// expect: none
export class Emitter {
  private emitting = false;
  private started = false;
  emit(listeners: (() => void)[]): void {
    if (this.emitting) return;
    this.emitting = true;
    for (const l of listeners) l();
    this.emitting = false;
  }
  async start(open: () => Promise<void>): Promise<void> {
    if (this.started) return;
    this.started = true;
    await open();
  }
}

export function hooks(on: (handler: () => string) => void, evaluate: () => string): void {
  let inside = false;
  on(() => {
    if (inside) return "";
    inside = true;
    const value = evaluate();
    inside = false;
    return value;
  });
}

export function refreshEvery(ms: number, refresh: () => Promise<void>): void {
  let syncing = false;
  setInterval(async () => {
    if (syncing) return;
    syncing = true;
    try {
      await refresh();
    } finally {
      syncing = false;
    }
  }, ms);
}

export class Listener {
  private listening = false;
  constructor(
    private readonly topics: Set<string>,
    private readonly read: () => Promise<string | undefined>,
  ) {}
  async listen(handle: (message: string) => void): Promise<void> {
    if (this.listening) return;
    this.listening = true;
    while (this.topics.size > 0) {
      const message = await this.read();
      if (message !== undefined) handle(message);
    }
    this.listening = false;
  }
}
