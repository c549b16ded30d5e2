// A resettable timer: every method works the one handle, so the class exists for the debounce and
// is one finding from its declaration to its closing brace. A class with a method that does not
// touch the timer is not made for it: there only the clear and the re-arm are the debounce.
// expect: response/debounce 7-30 elim 20 "a class whose methods clear"
// expect: response/debounce 39-40 elim 2 "clears `this.idle` and arms it again"

export class RestartableTimer {
  private handle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly fire: () => void,
    private readonly ms: number,
  ) {}

  restart(): void {
    if (!this.handle) return;
    clearTimeout(this.handle);
    this.handle = setTimeout(this.fire, this.ms);
  }

  begin(): void {
    clearTimeout(this.handle);
    this.handle = setTimeout(this.fire, this.ms);
  }

  end(): void {
    clearTimeout(this.handle);
    this.handle = undefined;
  }
}

export class Session {
  private idle: ReturnType<typeof setTimeout> | undefined;
  private readonly log: string[] = [];

  constructor(private readonly write: (text: string) => void) {}

  touch(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.flushLog(), 30_000);
  }

  record(line: string): void {
    this.log.push(line);
  }

  private flushLog(): void {
    this.write(this.log.splice(0).join("\n"));
  }
}
