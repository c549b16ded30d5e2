// A call's deadline: past already, the call is cancelled now; else a timer cancels it then.
// expect: response/timeout 9-18 elim 10 "fails the operation when it fires"
declare function relativeTimeout(deadline: number): number;

export class Channel {
  label: string;
  constructor(deadline: number, name: string) {
    this.label = `${name}!`;
    const timeout = relativeTimeout(deadline);
    if (timeout !== Infinity) {
      if (timeout <= 0) {
        this.cancelWithStatus(4, "Deadline exceeded");
      } else {
        setTimeout(() => {
          this.cancelWithStatus(4, "Deadline exceeded");
        }, timeout);
      }
    }
    this.start();
  }

  cancelWithStatus(code: number, details: string): void {
    throw new Error(`${String(code)} ${details}`);
  }

  start(): void {
    this.label += "";
  }
}
