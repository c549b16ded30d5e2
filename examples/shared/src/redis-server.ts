import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";

/** The command that installs `redis-server` on Debian and Ubuntu. */
export const INSTALL_REDIS_SERVER = "apt-get install -y redis-server";

/** @returns whether `redis-server` can be started on this machine */
export function redisServerInstalled(): boolean {
  return spawnSync("redis-server", ["--version"]).status === 0;
}

/** A redis-server process started by {@link startRedisServer}. */
export interface LocalRedis {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Stops the process and waits for its exit. */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway `redis-server` on a free port of 127.0.0.1, persistence off, for the demo and
 * the example's tests. Rejects when `redis-server` is not installed (see {@link INSTALL_REDIS_SERVER}).
 * @returns its URL, and `stop()`
 */
export async function startRedisServer(): Promise<LocalRedis> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "ignore"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once("error", (error) =>
      reject(new Error(`could not start redis-server (${INSTALL_REDIS_SERVER})`, { cause: error })),
    );
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${String(code)}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.includes("Ready to accept connections")) resolve();
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
