// A timer whose callback calls a local function that only logs and schedules the next report: the
// local function fails nothing, so the timer bounds no operation.
// expect: none
export function reportLater(log: (line: string) => void, every: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  function report(reason: string): void {
    log(`still running (${reason})`);
  }
  timer = setTimeout(() => report("periodic"), every);
  return () => clearTimeout(timer);
}
