// A server call's deadline: the timer answers with "Deadline exceeded"; cancelling clears it. The
// clear sits next to the arm: one mechanism, one finding over both.
// expect: response/timeout 10-18 elim 6 "clears the timeout timer"
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
