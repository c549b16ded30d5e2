// Calls sent while the map of calls awaiting a reply is under the limit; the reply handler takes
// the entry through a non-null check, settles it, removes it and sends the next queued call.
// expect: response/concurrency-limit 14-45 elim 29 "counts running tasks"
function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("Expected a pending call for this reply id.");
  return value;
}

interface Call {
  readonly payload: string;
  resolve(value: string): void;
}

export class Channel {
  private readonly queued: Call[] = [];
  private readonly awaiting = new Map<number, Call>();
  private nextId = 0;
  constructor(
    private readonly post: (id: number, payload: string) => void,
    private readonly most: number,
  ) {}

  add(call: Call): void {
    this.queued.push(call);
    this.pump();
  }

  reply(id: number, value: string): void {
    const call = present(this.awaiting.get(id));
    call.resolve(value);
    this.awaiting.delete(id);
    this.pump();
  }

  private pump(): void {
    const next = this.queued[0];
    if (next === undefined) return;
    if (this.awaiting.size < this.most) {
      this.queued.shift();
      const id = this.nextId++;
      this.awaiting.set(id, next);
      this.post(id, next.payload);
    }
  }
}
