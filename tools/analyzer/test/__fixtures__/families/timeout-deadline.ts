// A server call's deadline: the timer answers with "Deadline exceeded"; cancelling clears it. The
// clear sits next to the arm: one mechanism, one finding over both. `start` and `cancel` do nothing
// else, so each method goes whole.
// expect: response/timeout 10-20 elim 10 "clears the timeout timer"
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
