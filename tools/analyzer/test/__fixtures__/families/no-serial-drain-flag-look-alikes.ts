// A re-entrancy guard around a synchronous drain only orders events (nothing is awaited, no work
// is in flight), and a service loop that reads while subscribed keeps running rather than
// draining a queue; nor does a main loop over actions its own start seeds.
// expect: none
export class EventOrder {
  private readonly events: string[] = [];
  private dispatching = false;

  constructor(private readonly listener: (event: string) => void) {}

  emit(event: string): void {
    this.events.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    while (this.events.length > 0) this.listener(this.events.shift() as string);
    this.dispatching = false;
  }
}

export class Reader {
  private reading = false;
  subscribed = true;

  constructor(private readonly read: () => Promise<string>, private readonly queue: string[]) {}

  async start(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    while (this.subscribed) {
      this.queue.push(await this.read());
    }
    this.reading = false;
  }
}

export class Scheduler {
  private running = false;
  private actions: { at: number; run: () => Promise<void> }[] = [];

  constructor(private readonly first: () => Promise<void>) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.actions = [{ at: Date.now(), run: this.first }];
    while (this.actions.length > 0) {
      this.actions.sort((a, b) => a.at - b.at);
      await this.actions[0]?.run();
      this.actions.shift();
    }
    this.running = false;
  }
}
