// A real redis-server for tests: started on a free port of 127.0.0.1 with persistence off, stopped
// afterwards; fault tests stop, pause (SIGSTOP) and restart it. No mocks of Redis.
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createConnection, createServer } from "node:net";
import type { AddressInfo } from "node:net";

/** The command that installs redis-server on Debian and Ubuntu (what `.ci/run` does). */
export const INSTALL_REDIS = "apt-get install -y redis-server";

/** Whether `redis-server` can be started on this machine. */
export const redisInstalled: boolean = spawnSync("redis-server", ["--version"]).status === 0;

/**
 * Tests that need Redis call this first. Without `redis-server`: under CI (`CI` set) the test
 * fails with the install command; locally it is reported as skipped, with the same command.
 * @param context - the test's context (`skip`)
 * @param context.skip - vitest's runtime skip
 */
export function requireRedis(context: { skip: (note?: string) => void }): void {
  if (redisInstalled) return;
  const message = `redis-server is not installed, so this test did not run: install it with \`${INSTALL_REDIS}\``;
  if (process.env["CI"] !== undefined) throw new Error(`${message} (.ci/run installs it).`);
  context.skip(message);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** One redis-server process on 127.0.0.1 that the test owns. */
export class RedisServer {
  /** Its port. */
  readonly port: number;
  #process: ChildProcess | undefined;

  private constructor(port: number) {
    this.port = port;
  }

  /** @returns a server started on a free port, persistence off */
  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.startProcess();
    return server;
  }

  /** `redis://127.0.0.1:<port>` */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the process (again, after `stop()`), on the same port, and waits until it accepts. */
  async startProcess(): Promise<void> {
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--protected-mode",
        "no",
      ],
      { stdio: "ignore" },
    );
    this.#process = child;
    for (let i = 0; i < 400 && !(await accepts(this.port)); i++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Starts the process when a test left it stopped. */
  async startIfStopped(): Promise<void> {
    if (this.#process === undefined) await this.startProcess();
  }

  /** Stops the process (SIGKILL: no goodbye to the clients) and waits for its exit. */
  async stop(): Promise<void> {
    const child = this.#process;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGCONT");
    child.kill("SIGKILL");
    await exited;
    this.#process = undefined;
  }

  /** Freezes the process (SIGSTOP): connections stay open, nothing answers. */
  pause(): void {
    this.#process?.kill("SIGSTOP");
  }

  /** Lets a paused process go on (SIGCONT). */
  resume(): void {
    this.#process?.kill("SIGCONT");
  }

  /** Stops and starts it again on the same port: every key is gone, clients must reconnect. */
  async restart(): Promise<void> {
    await this.stop();
    await this.startProcess();
  }
}
