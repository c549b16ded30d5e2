// Clocks of other modules, known by how their readings are combined: a function of an imported
// module read twice around the work (`clock.getTimestamp()`), and an imported `now()` whose
// reading is kept as the previous sample's time (`prev = now`) and subtracted from the next one.
// expect: monitoring/timer-delta 13-14 elim 1 "elapsed time `now - prevFlushTime`"
// expect: monitoring/timer-delta 20-22 elim 2 "start mark `const start = clock.getTimestamp();`"
import { safeDateNow } from "./clock";
import clock from "./clock";

let prevFlushTime = 0;

export function collect(gauge: (name: string, value: number) => void): void {
  const now = safeDateNow();
  const elapsed = now - prevFlushTime;
  gauge("flush.elapsed", elapsed);
  prevFlushTime = now;
}

export async function formatAll(files: string[], log: (line: string) => void): Promise<void> {
  for (const file of files) {
    const start = clock.getTimestamp();
    await Promise.resolve(file);
    log(`${file} ${Math.round(clock.getTimestamp() - start)}ms`);
  }
}
