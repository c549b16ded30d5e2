// A streamed request cancelled when no message arrives for a while: the timer is re-armed on each
// message and its callback only cancels. An inactivity timeout, not a debounce.
// expect: none
export class StreamedRequest {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly stallMs: number,
    private readonly onMessage: (data: string) => void,
  ) {}

  receive(data: string): void {
    this.onMessage(data);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.cancel();
    }, this.stallMs);
  }

  cancel(): void {
    clearTimeout(this.timer);
  }
}
