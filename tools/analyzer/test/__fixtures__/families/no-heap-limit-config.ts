// One memory figure read once to size a cache: configuration, not polling.
// expect: none
import { getHeapStatistics } from "node:v8";

export function defaultCacheBytes(share = 0.25): number {
  const { heap_size_limit: limit } = getHeapStatistics();
  return Math.floor(limit * share);
}

export function describeProcess(): string {
  return JSON.stringify({ pid: process.pid, memory: process.memoryUsage() });
}
