// Memory read once inside the block that checks which figures are wanted; the interval polls it.
// expect: memory/memory-polling 10-17 elim 8 "reads 3 memory figures"
// expect: memory/memory-polling 19-19 elim 1 "callback calls `collect()`"
type Gauge = (name: string, value: number) => void;

export function startCollecting(gauge: Gauge, wanted: { rss: boolean; heap: boolean }): () => void {
  const collect = (): void => {
    const cpu = process.cpuUsage();
    gauge("cpu.user", cpu.user);
    if (wanted.rss || wanted.heap) {
      const mem = process.memoryUsage();
      if (wanted.rss) gauge("mem.rss", mem.rss);
      if (wanted.heap) {
        gauge("mem.heap_used", mem.heapUsed);
        gauge("mem.heap_total", mem.heapTotal);
      }
    }
  };
  const timer = setInterval(collect, 10_000);
  return () => clearInterval(timer);
}
