// File changes re-arm one build timer; the build it runs asks for another round only when a change
// came in meanwhile. A debounce: a burst of changes gives one build.
// expect: response/debounce 22-26 elim 5 "clears `this.buildTimeout` and arms it again"
export class Watcher {
  private buildTimeout: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private rerun = false;
  private readonly changed = new Set<string>();

  constructor(
    private readonly buildDelay: number,
    private readonly build: (files: string[]) => Promise<void>,
  ) {}

  invalidate(file?: string): void {
    if (file !== undefined) this.changed.add(file);
    if (this.running) {
      this.rerun = true;
      return;
    }

    if (this.buildTimeout) clearTimeout(this.buildTimeout);
    this.buildTimeout = setTimeout(() => {
      this.buildTimeout = null;
      void this.run();
    }, this.buildDelay);
  }

  private async run(): Promise<void> {
    this.running = true;
    const files = [...this.changed];
    this.changed.clear();
    await this.build(files);
    this.running = false;
    if (this.rerun) {
      this.rerun = false;
      this.invalidate();
    }
  }
}
