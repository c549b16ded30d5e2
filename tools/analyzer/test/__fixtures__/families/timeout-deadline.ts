// A server call's deadline: the timer answers with "Deadline exceeded"; cancelling clears it.
// expect: response/timeout 10-12 elim 3 "reports a timeout"
// expect: response/timeout 16-18 elim 3 "clears the timeout timer"
export class ServerCall {
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly sendStatus: (status: { code: number; details: string }) => void) {}

  start(ms: number): void {
    this.deadlineTimer = setTimeout(() => {
      this.sendStatus({ code: 4, details: "Deadline exceeded" });
    }, ms);
  }

  cancel(): void {
    if (this.deadlineTimer) {
      clearTimeout(this.deadlineTimer);
    }
  }
}
