// setTimeout that schedules work, not a timeout race or a debounce.
// expect: none
export function scheduleReport(send: () => void): void {
  setTimeout(send, 60_000);
}
export function every(ms: number, fn: () => void): () => void {
  const id = setInterval(fn, ms);
  return () => clearInterval(id);
}
