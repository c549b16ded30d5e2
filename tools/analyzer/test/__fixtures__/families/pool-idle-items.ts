// Idle expiry of pooled items: browsers with no open pages retired once unused past a limit (on an
// interval, and through locals in a sweep), and a session looked up by key closed once its streams
// are all done and it has idled past the limit.
// expect: memory/pool-idle-expiry 32-34 elim 3 "nothing in use"
// expect: memory/pool-idle-expiry 41-47 elim 7 "nothing in use"
// expect: memory/pool-idle-expiry 56-60 elim 4 "nothing in use"
interface Browser {
  readonly id: string;
  activePages: number;
  lastPageOpenedAt: number;
  close(): Promise<void>;
}
interface SessionInfo {
  activeStreams: number;
  lastIdle: number;
}
interface Session {
  close(): void;
}

export class BrowserPool {
  private readonly active = new Set<Browser>();
  private readonly retired = new Set<Browser>();
  private readonly sessions = new Map<Session, SessionInfo>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly idleMillis: number) {}

  start(): void {
    this.timer = setInterval(() => {
      for (const browser of this.active) {
        if (browser.activePages === 0 && browser.lastPageOpenedAt < Date.now() - this.idleMillis) {
          this.retireBrowser(browser);
        }
      }
    }, this.idleMillis);
  }

  async closeInactiveRetired(): Promise<void> {
    for (const browser of this.retired) {
      const idleFor = Date.now() - browser.lastPageOpenedAt;
      const isIdle = idleFor >= this.idleMillis;
      const isEmpty = browser.activePages === 0;
      if (isIdle || isEmpty) {
        await browser.close();
        this.retired.delete(browser);
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  onIdleTimeout(session: Session): void {
    const info = this.sessions.get(session);
    if (info !== undefined && info.activeStreams === 0) {
      if (Date.now() - info.lastIdle >= this.idleMillis) {
        this.closeSession(session);
      }
    }
  }

  private retireBrowser(browser: Browser): void {
    this.active.delete(browser);
    this.retired.add(browser);
  }

  private closeSession(session: Session): void {
    this.sessions.delete(session);
    session.close();
  }
}
