// Timings through module-level names bound to a clock: `process.hrtime.bigint` kept as a function,
// and `now` destructured from `performance`.
// expect: monitoring/timer-delta 11-13 elim 2 "start mark `const startTime = hrtimeBigint();`"
// expect: monitoring/timer-delta 18-20 elim 2 "elapsed time `now() - began`"
import { performance } from "node:perf_hooks";

const hrtimeBigint = process.hrtime.bigint;
const { now } = performance;

export async function readAll(files, read, debug) {
  const startTime = hrtimeBigint();
  const texts = await Promise.all(files.map((f) => read(f)));
  debug("read %d files in %d ns", files.length, hrtimeBigint() - startTime);
  return texts;
}

export function render(template, data, log) {
  const began = now();
  const html = template(data);
  log(`rendered in ${now() - began} ms`);
  return html;
}
