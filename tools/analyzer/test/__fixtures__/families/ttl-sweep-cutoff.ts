// A sweep drops entries stamped before a cutoff (`clock - age` held in a local); the stamp is written as the entry is stored.
// expect: caching/ttl-cache 17-20 elim 4 "stamp `leftAt` written from the clock"
// expect: caching/ttl-cache 26-27 elim 2 "stamp `leftAt` written from the clock with the entry it dates"
interface Parked {
  id: string;
  leftAt: number;
}

export class Parking {
  private parked = new Map<string, Parked>();
  private maxAway = 60_000;

  start(): void {
    setInterval(() => {
      const cutoff = Date.now() - this.maxAway;
      this.parked.forEach((p, id) => {
        const gone = p.leftAt < cutoff;
        if (gone) {
          this.parked.delete(id);
        }
      });
    }, 60_000);
  }

  park(p: Parked): void {
    p.leftAt = Date.now();
    this.parked.set(p.id, p);
  }

  take(id: string): Parked | undefined {
    const p = this.parked.get(id);
    this.parked.delete(id);
    return p;
  }
}
