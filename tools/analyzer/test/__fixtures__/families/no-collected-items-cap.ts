// A count of collected items against the user's maximum: raised as an item handed in is pushed,
// lowered as one is taken out. It caps a buffer; no work is started or bounded in flight.
// expect: none
export class Collector {
  private collected = 0;
  private readonly items: string[] = [];

  constructor(
    private readonly options: { max: number },
    private readonly stop: () => void,
  ) {}

  onItem(item: string): void {
    if (this.collected >= this.options.max) {
      this.stop();
      return;
    }
    this.collected++;
    this.items.push(item);
  }

  take(): string | undefined {
    const item = this.items.shift();
    if (item !== undefined) this.collected--;
    return item;
  }
}
