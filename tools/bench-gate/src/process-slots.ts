// How many benchmark processes under callgrind run at once: four per core. A count does not depend
// on the machine's load, so processes may share the cores; each uses one (node runs single-threaded
// there), and on a machine already busy every process gets about an equal share of the CPU, so four
// per core take a larger share than one per core (with both cores saturated by two other processes,
// two of ours get half the CPU and eight get four fifths) and the longest batch does not wait behind
// the others for a slot.
import { availableParallelism } from "node:os";

/** A fixed number of slots; work beyond them waits its turn, first come first served. */
export class ProcessSlots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  /** @param slots - how many may run at once (at least 1) */
  constructor(slots: number) {
    this.#free = Math.max(1, Math.floor(slots));
  }

  /**
   * Runs `work` in a free slot, waiting for one if none is.
   * @param work - what to run
   * @returns what it returns
   */
  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((turn) => this.#waiting.push(turn));
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next === undefined) this.#free += 1;
      else next();
    }
  }
}

/** Processes under callgrind per core at once (each needs a few hundred MB of memory). */
export const COUNTING_PER_CORE = 4;

/** The slots of processes under callgrind in this bench-gate process. */
export const countingSlots: ProcessSlots = new ProcessSlots(
  COUNTING_PER_CORE * availableParallelism(),
);
