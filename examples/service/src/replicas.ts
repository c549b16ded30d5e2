import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

/** A fleet of service processes over one Redis (`--replicas N`). */
export interface Replicas {
  /** Each replica's base URL, on 127.0.0.1. */
  readonly urls: readonly string[];
  /** Stops every replica and waits for them to exit. */
  close(): Promise<void>;
}

/** Options of {@link startReplicas}. */
export interface ReplicasOptions {
  /** How many processes (1 to 16). */
  readonly replicas: number;
  /** The Redis they share. */
  readonly redisUrl: string;
  /** Bound on each replica's start. @defaultValue 30 000 ms */
  readonly startTimeoutMs?: number;
}

function startReplica(
  redisUrl: string,
  timeoutMs: number,
): Promise<{ url: string; child: ChildProcess }> {
  // Workspace packages from source (the `@perflayer/source` condition), as the tests and the demo
  // read them: a fresh clone has no `dist/` until something builds it.
  const child = spawn(
    process.execPath,
    ["--conditions=@perflayer/source", "--import", "tsx", MAIN],
    {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: { ...process.env, PORT: "0", REDIS_URL: redisUrl },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`a replica did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`a replica exited with ${String(code)} before listening`));
    });
    lines.on("line", (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve({ url: match[1], child });
    });
  });
}

/**
 * Starts `replicas` processes of the service, each on a free port of 127.0.0.1, all sharing the
 * Redis at `redisUrl` as their caches' second tier.
 * @param options - how many, and the Redis
 * @returns their URLs, and `close()`
 */
export async function startReplicas(options: ReplicasOptions): Promise<Replicas> {
  const { replicas, redisUrl, startTimeoutMs = 30_000 } = options;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 16)
    throw new RangeError(
      `Expected \`replicas\` to be an integer from 1 to 16, got \`${String(replicas)}\` (${typeof replicas}). Pass e.g. --replicas 4.`,
    );
  const started = await Promise.allSettled(
    Array.from({ length: replicas }, () => startReplica(redisUrl, startTimeoutMs)),
  );
  const children = started.flatMap((s) => (s.status === "fulfilled" ? [s.value.child] : []));
  const close = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
  };
  const failed = started.find((s) => s.status === "rejected");
  if (failed !== undefined) {
    await close();
    throw failed.reason;
  }
  return {
    urls: started.flatMap((s) => (s.status === "fulfilled" ? [s.value.url] : [])),
    close,
  };
}
