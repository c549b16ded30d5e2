// The heap reported by a worker is checked against a limit worked out first (a fraction of the
// machine's memory, or bytes): the limit's lines go with the check.
// expect: memory/memory-polling 13-18 elim 6 "memory usage compared with a limit"
import { totalmem } from "node:os";

export class Worker {
  constructor(
    private readonly idleMemoryLimit: number,
    private readonly restart: () => void,
  ) {}

  onMemoryReport(heapUsed: number): void {
    let limit = this.idleMemoryLimit;
    if (limit > 0 && limit <= 1) limit = Math.floor(totalmem() * limit);
    else limit = Math.floor(limit);
    if (heapUsed > limit) {
      this.restart();
    }
  }
}
