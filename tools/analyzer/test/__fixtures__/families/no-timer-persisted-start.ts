// A session's start time restored from storage after a reload (falling back to the clock), saved
// back by session id, and read by a minimum-duration gate and its notice: a time kept as data,
// not the start mark of a timer.
// expect: none
export interface Store {
  load(key: string, session: number, now: number): number | undefined;
  save(key: string, session: number, at: number): void;
}

declare function loadSessionStart(key: string, session: number, now: number): number | undefined;
declare function saveSessionStart(key: string, session: number, at: number): void;

export class Replay {
  sessionStart: number | undefined;
  private sessionId: number | undefined;

  constructor(
    private readonly apiKey: string,
    private readonly minMs: number,
    private readonly log: (text: string) => void,
  ) {}

  init(sessionId: number): void {
    const now = Date.now();
    this.sessionId = sessionId;
    this.sessionStart = loadSessionStart(this.apiKey, sessionId, now) ?? now;
  }

  setSession(sessionId: number): void {
    const previous = this.sessionId;
    this.sessionId = sessionId;
    this.sessionStart = Date.now();
    saveSessionStart(this.apiKey, sessionId, this.sessionStart);
    if (previous !== undefined) this.log(`session ${String(previous)} ended`);
  }

  send(emit: (event: { elapsedMs?: number }) => void): void {
    if (this.sessionStart === undefined) return;
    const startTime = this.sessionStart;
    if (Date.now() - startTime < this.minMs) {
      this.log(`session below minimum: ${Date.now() - startTime}ms`);
      return;
    }
    const elapsedMs = Date.now() - this.sessionStart;
    emit({ elapsedMs });
  }
}
