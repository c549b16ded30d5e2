// Near miss of no-counter-sequence-handed-out: the same raise as a statement of its own, its value
// only printed — a tally of work done.
// expect: monitoring/counter 5-12 elim 2 "only incremented"
export class PacketWriter {
  private packetsSent = 0;

  constructor(private readonly send: (data: string) => void) {}

  write(data: string): void {
    this.send(data);
    console.log(`sent packet`);
    this.packetsSent += 1;
  }

  report(): string {
    return `sent ${this.packetsSent}`;
  }
}
