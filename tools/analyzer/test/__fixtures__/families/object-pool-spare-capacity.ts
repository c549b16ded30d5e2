// Browsers are shared by pages up to a per-browser cap: a page goes to a browser with a free slot,
// and a new browser is launched only when none has one. No free list: members are picked by load.
// expect: memory/object-pool 19-20 elim 2 "or makes one"
// expect: memory/object-pool 26-28 elim 3 "whose load is below a limit it keeps"
interface Browser {
  activePages: number;
  close(): Promise<void>;
}

export class BrowserPool {
  private readonly browsers = new Set<Browser>();

  constructor(
    private readonly maxPagesPerBrowser: number,
    private readonly launch: () => Promise<Browser>,
  ) {}

  async newPage(): Promise<Browser> {
    let browser = this.withFreeSlot();
    if (browser === undefined) browser = await this.launch();
    this.browsers.add(browser);
    browser.activePages++;
    return browser;
  }

  private withFreeSlot(): Browser | undefined {
    return [...this.browsers].find((candidate) => candidate.activePages < this.maxPagesPerBrowser);
  }
}
