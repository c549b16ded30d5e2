// A field filled on a miss with an awaited result and used by the same call after the `if`.
// expect: caching/memoize 14-15 elim 2 "`this.found` returned when set, computed and stored otherwise"
interface Probe {
  discover(): Promise<{ token(): Promise<string>; project: string }>;
}

export class Signer {
  private found: { token(): Promise<string>; project: string } | undefined;
  private project = "";

  constructor(private readonly probe: Probe) {}

  async sign(body: string): Promise<string> {
    if (!this.found) {
      this.found = await this.probe.discover();
    }
    const token = await this.found.token();
    this.project = this.found.project;
    return `${token}:${body}`;
  }
}
