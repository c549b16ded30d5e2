// Counts that are the program's own quantities: requests handled, added to the queue's lengths for
// the loader's total; a coarse clock raised by a tick and written into each timer; imports counted
// by a visitor and returned by the call that counts them. None is a tally kept for a report.
// expect: none
export class SitemapLoader {
  private handled = 0;
  private readonly queue: string[] = [];
  private readonly inProgress = new Set<string>();

  total(): number {
    return this.queue.length + this.inProgress.size + this.handled;
  }

  markHandled(url: string): void {
    this.inProgress.delete(url);
    this.handled += 1;
  }
}

let coarseNow = 0;
const TICK = 500;

export function tick(): void {
  coarseNow += TICK;
}

export function arm(timer: { started: number }): void {
  timer.started = coarseNow - TICK;
  console.log(`armed at ${coarseNow}`);
}

interface Visitor {
  visit(tree: unknown, on: { importNode(): void }): void;
}

export function countImports(walker: Visitor, tree: unknown): number {
  let count = 0;
  walker.visit(tree, {
    importNode() {
      count++;
    },
  });
  return count;
}
