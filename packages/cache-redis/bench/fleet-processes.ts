// Real child processes of one fleet (node:child_process fork of fleet-worker.ts), for the
// multi-process tests and the benchmarks: bounded in count and in time, on 127.0.0.1 only.
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Kind, WorkerCommand, WorkerReply } from "./fleet-worker.ts";

const WORKER = fileURLToPath(new URL("./fleet-worker.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const MAX_PROCESSES = 8;

type Reply = Extract<WorkerReply, { reply: string }>;
type Received = Extract<WorkerReply, { event: "received" }>;

/** A fleet of worker processes over one Redis. */
export class FleetProcesses {
  readonly #children: ChildProcess[];
  readonly #timeoutMs: number;
  readonly #listeners = new Set<(worker: number, event: Received) => void>();

  private constructor(children: ChildProcess[], timeoutMs: number) {
    this.#children = children;
    this.#timeoutMs = timeoutMs;
    children.forEach((child, i) =>
      child.on("message", (message: WorkerReply) => {
        if ("event" in message) for (const listener of this.#listeners) listener(i, message);
      }),
    );
  }

  /**
   * Forks `count` workers and initialises each.
   * @param count - processes (at most 8)
   * @param init - Redis URL, namespace and which cache
   * @param init.url - the Redis URL
   * @param init.namespace - shared by the fleet
   * @param init.kind - perflayer's cache or cacheable's
   * @param timeoutMs - bound on every answer
   * @param startTimeoutMs - bound on the workers' start (loading TypeScript is slow on a busy box)
   */
  static async start(
    count: number,
    init: { url: string; namespace: string; kind: Kind },
    timeoutMs = 60_000,
    startTimeoutMs = 180_000,
  ): Promise<FleetProcesses> {
    if (count > MAX_PROCESSES) throw new Error(`at most ${MAX_PROCESSES} processes`);
    const children = Array.from({ length: count }, () =>
      fork(WORKER, [], {
        execArgv: ["--import", TSX, "--conditions=@perflayer/source"],
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      }),
    );
    const fleet = new FleetProcesses(children, timeoutMs);
    try {
      await fleet.all({ cmd: "init", ...init }, startTimeoutMs);
    } catch (error) {
      fleet.kill();
      throw error;
    }
    return fleet;
  }

  /** Number of processes. */
  get size(): number {
    return this.#children.length;
  }

  /**
   * Sends `command` to worker `i` and waits for its answer.
   * @param i - the worker
   * @param command - what to do
   * @param timeoutMs - bound on the answer
   */
  ask(i: number, command: WorkerCommand, timeoutMs: number = this.#timeoutMs): Promise<Reply> {
    const child = this.#children[i] as ChildProcess;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`worker ${i} did not answer ${command.cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (message: WorkerReply): void => {
        if (!("reply" in message)) return;
        cleanup();
        resolve(message);
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`worker ${i} exited with ${String(code)} during ${command.cmd}`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send(command);
    });
  }

  /**
   * Sends `command` to every worker at once.
   * @param command - what to do
   * @param timeoutMs - bound on each answer
   */
  all(command: WorkerCommand, timeoutMs: number = this.#timeoutMs): Promise<Reply[]> {
    return Promise.all(this.#children.map((_, i) => this.ask(i, command, timeoutMs)));
  }

  /**
   * Listens to the workers' unasked events.
   * @param listener - called with the worker's index and the event
   * @returns stops listening
   */
  onEvent(listener: (worker: number, event: Received) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Closes every worker (killed if it does not exit in time). */
  async close(): Promise<void> {
    await Promise.allSettled(
      this.#children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            child.send({ cmd: "close" } satisfies WorkerCommand);
          }),
      ),
    );
  }

  /** Kills every worker now. */
  kill(): void {
    for (const child of this.#children) child.kill("SIGKILL");
  }
}
