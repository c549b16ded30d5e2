// Two blocks of one function each read a stamp and work out an elapsed time under the same local
// names, then warn on it: two slow-operation warnings, the second not read into the first's range.
// expect: monitoring/slow-op-timer 15-18 elim 4 "after a threshold check"
// expect: monitoring/slow-op-timer 30-34 elim 5 "after a threshold check"
interface Logger {
  warn(message: string, args: Record<string, number>): void;
}

export function sweep(info: { freedAt: number }, ttl: number, log: Logger, reuse: boolean): string {
  let verdict = "keep";
  if (!reuse) {
    const parts: string[] = [];
    for (let i = 0; i < 3; i++) parts.push(String(i));
    const stamp = info.freedAt;
    const age = Date.now() - stamp;
    if (age > ttl) {
      log.warn("stale socket", { age });
    }
    verdict = parts.join(",");
  } else {
    const steps: number[] = [];
    for (let i = 0; i < 3; i++) steps.push(i * ttl);
    verdict = steps.map(String).join(";");
    verdict += ":";
    verdict += String(steps.length);
    verdict = verdict.trim();
    verdict = verdict.toUpperCase();
    verdict = `${verdict}!`;
    const stamp = info.freedAt;
    const age = Date.now() - stamp;
    const overdue = age - ttl;
    if (overdue > 1000) {
      log.warn("overdue socket", { age });
    }
  }
  return verdict;
}
