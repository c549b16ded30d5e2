// A caller that waits for the run in flight and then takes its result joins it (a dedup), a slot
// given the awaited result holds a value, and a local chain inside one call orders nothing
// across calls. A consumer that waits for a data signal on some path and re-arms it waits for
// items, not for a turn.
// expect: none
export class Loader {
  private loading?: Promise<string>;
  private value?: string;
  private connection?: Promise<string>;

  constructor(private readonly fetchValue: () => Promise<string>) {}

  async get(): Promise<string | undefined> {
    if (this.loading) {
      await this.loading;
      return this.value;
    }
    this.loading = this.fetchValue();
    this.value = await this.loading;
    return this.value;
  }

  async connect(open: () => Promise<string>): Promise<void> {
    await this.connection;
    this.value = await open();
  }
}

export async function steps(parts: (() => Promise<void>)[]): Promise<void> {
  let previous: Promise<void> = Promise.resolve();
  for (const part of parts) {
    await previous;
    previous = part();
  }
  await previous;
}

export class Inbox {
  private items: string[] = [];
  private signal: Promise<void> & { resolve?: () => void } = Promise.resolve();

  constructor(private readonly deferred: () => Promise<void> & { resolve?: () => void }) {}

  push(item: string): void {
    this.items.push(item);
    this.signal.resolve?.();
  }

  async *drain(): AsyncGenerator<string> {
    while (true) {
      if (this.items.length === 0) {
        await this.signal;
      }
      const taken = this.items;
      this.items = [];
      yield* taken;
      if (this.items.length === 0) this.signal = this.deferred();
    }
  }
}
