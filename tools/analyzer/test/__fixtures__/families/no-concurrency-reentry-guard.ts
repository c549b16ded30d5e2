// Flags that look like busy flags but limit nothing in flight: a re-entrancy guard around
// synchronous work (lowered in the same turn), and a start-once flag that is never lowered.
// expect: none
export class Emitter {
  private emitting = false;
  private started = false;
  emit(listeners: (() => void)[]): void {
    if (this.emitting) return;
    this.emitting = true;
    for (const l of listeners) l();
    this.emitting = false;
  }
  async start(open: () => Promise<void>): Promise<void> {
    if (this.started) return;
    this.started = true;
    await open();
  }
}
