// A callback of the value reads the getter's own parameter: the kept value would be the first call's.
interface Host {
  readonly id: string;
  readonly zone: string;
}

export class Hosts {
  private local: Host[] | null = null;

  constructor(private readonly all: readonly Host[]) {}

  inZone(zone: string): Host[] {
    if (this.local !== null) {
      return this.local;
    }
    this.local = this.all.filter((host) => host.zone === zone);
    return this.local;
  }
}
