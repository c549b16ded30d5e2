// Near miss of object-pool-spare-capacity.ts: members compared with a kept threshold but not
// handed out (a count of overloaded hosts), and a member handed out by a match on its name.
// expect: none
interface Host {
  name: string;
  load: number;
}

export class Hosts {
  private readonly hosts: Host[] = [];
  constructor(private readonly threshold: number) {}

  overloaded(): number {
    return this.hosts.filter((h) => h.load > this.threshold).length;
  }

  byName(name: string): Host | undefined {
    return this.hosts.find((h) => h.name === name);
  }
}
