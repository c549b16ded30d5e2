// Gauges filled by a function a timer elsewhere drives; a host sampler polled by this file's timer.
// expect: memory/memory-polling 14-20 elim 7 "memory figures"
// expect: memory/memory-polling 25-30 elim 6 "memory figures"
// expect: memory/memory-polling 33-33 elim 1 "callback calls `ram()`"
import { freemem, totalmem } from "node:os";
import v8 from "node:v8";

interface Gauges {
  set(name: string, value: number): void;
}

export function updateMetrics(gauges: Gauges): void {
  gauges.set("uptime", process.uptime());
  const procMem = process.memoryUsage();
  gauges.set("heap.total", procMem.heapTotal);
  gauges.set("heap.used", procMem.heapUsed);
  gauges.set("rss", procMem.rss);
  const stat = v8.getHeapStatistics();
  gauges.set("heap.limit", stat.heap_size_limit);
  gauges.set("heap.available", stat.total_available_size);
  gauges.set("handles", process.getActiveResourcesInfo().length);
  gauges.set("platform.cpus", 1);
}

export function ram(): { total: number; free: number; usedPercent: number } {
  const total = totalmem();
  const free = freemem();
  const used = total - free;
  return { total, free, usedPercent: total > 0 ? (used / total) * 100 : 0 };
}

export function startSampling(report: (snapshot: ReturnType<typeof ram>) => void): NodeJS.Timeout {
  return setInterval(() => report(ram()), 5_000).unref();
}
