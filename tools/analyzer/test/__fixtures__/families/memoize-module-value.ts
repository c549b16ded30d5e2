// A module variable filled on first use with the result of real work (two probes awaited
// together) and handed out afterwards: a single-value memo kept by the module.
// expect: caching/memoize 6-21 elim 6 "kept by the module"
import { readFile, stat } from "node:fs/promises";

let containerized: boolean | undefined;

export async function isContainerized(): Promise<boolean> {
  if (containerized !== undefined) {
    return containerized;
  }
  const envFile = stat("/.dockerenv")
    .then(() => true)
    .catch(() => false);
  const cgroup = readFile("/proc/self/cgroup", "utf8")
    .then((text) => text.includes("docker"))
    .catch(() => false);
  const [hasEnvFile, inCgroup] = await Promise.all([envFile, cgroup]);
  containerized = hasEnvFile || inCgroup;
  return containerized;
}
