// Numbers handed out as they are raised: a port taken for each server made, a packet's number
// given to the packet as it is sent, a column worked out of the dots drawn so far. Each raise is
// used for its value (a sequence or a position), not tallied for a report.
// expect: none
export class Servers {
  private lastPort = 63315;

  constructor(private readonly make: (port: number) => string) {}

  start(browser: boolean): string {
    const url = this.make(browser ? this.lastPort++ : 51204);
    console.log(`started ${url}, next port ${this.lastPort}`);
    return url;
  }
}

export class PacketWriter {
  private packetNumber = 0;

  constructor(private readonly send: (id: number, data: string) => void) {}

  write(data: string): void {
    this.send((this.packetNumber += 1), data);
    console.log(`sent packet ${this.packetNumber}`);
  }
}

export function landing(width: number, runner: { on(event: string, fn: (ok: boolean) => void): void }) {
  let crashed = -1;
  let drawn = 0;
  let total = 0;
  runner.on("test end", (ok) => {
    const col = crashed === -1 ? ((width * ++drawn) / ++total) | 0 : crashed;
    if (!ok) crashed = col;
    console.log("-".repeat(col));
  });
}
