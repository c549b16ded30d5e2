import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { WorkerOptions } from "node:worker_threads";
import type { WalkedFile } from "@perflayer/toolkit";
import { errorText, examineFile } from "./examine-file.js";
import type { ExaminedFile } from "./examine-file.js";

/** A file the cache could not answer for: read and hashed, to be examined. */
export interface ExamineTask {
  /** The walked file. */
  readonly file: WalkedFile;
  /** Its content. */
  readonly bytes: Uint8Array;
  /** The content's hash. */
  readonly hash: string;
}

/** What a worker thread is started with. */
export interface ExamineWorkerData {
  /** Analyse generated, vendored and minified content too. */
  readonly includeGenerated: boolean;
}

/** A file sent to a worker thread: its task and its index among the tasks. */
export interface ExamineRequest extends ExamineTask {
  /** Index of the task. */
  readonly index: number;
}

/** A worker thread's message: ready for files, or one file examined. */
export type ExamineReply =
  | { readonly type: "ready" }
  | { readonly type: "examined"; readonly index: number; readonly examined: ExaminedFile };

/**
 * Below this many bytes to examine per thread, fewer threads: a worker thread spends about half a
 * second of CPU loading the TypeScript parser before its first file, and its own compilation of
 * the parser's hot code after, which is about what this thread takes to examine 1 MB of code.
 */
export const MIN_BYTES_PER_THREAD = 1_000_000;

/** Most threads chosen automatically: each holds its own parser and trees (~70 MB each). */
const MAX_AUTO_THREADS = 4;

/** Files sent ahead to a worker, so that it never waits for this thread between files. */
const IN_FLIGHT = 3;

/**
 * How many threads examine the tasks: `jobs` when given (never more than there are tasks), else
 * one per core but one — V8 compiles the parser's and detectors' hot code and collects garbage on
 * background threads, about 40 % of a cold run's CPU time (measured per thread on effect + rxjs),
 * so a second thread parsing on a 2-core machine only competes with them — and only as many as
 * the bytes to examine pay for.
 * @param tasks - the files to examine
 * @param jobs - the threads asked for, or undefined for the automatic choice
 * @param cores - the cores to count on
 * @returns at least 1
 */
export function threadsFor(
  tasks: readonly ExamineTask[],
  jobs: number | undefined,
  cores: number = availableParallelism(),
): number {
  if (jobs !== undefined) return Math.max(1, Math.min(jobs, tasks.length));
  let bytes = 0;
  for (const task of tasks) bytes += task.bytes.byteLength;
  return Math.max(
    1,
    Math.min(cores - 1, MAX_AUTO_THREADS, tasks.length, Math.floor(bytes / MIN_BYTES_PER_THREAD)),
  );
}

/**
 * The worker's entry: the built module beside this one; when the analyzer runs from its
 * TypeScript sources (the workspace's own tests), a worker that registers tsx — the workspace's
 * TypeScript loader, whose hooks node 20 does not pass on to worker threads (its ES-module API:
 * the `.mjs` twin of what `require` resolves) — and reads workspace packages from source, as the
 * process that started it does.
 */
function workerEntry(includeGenerated: boolean): {
  entry: string | URL;
  options: WorkerOptions;
} {
  const workerData: ExamineWorkerData = { includeGenerated };
  const here = import.meta.url;
  if (!here.endsWith(".ts"))
    return { entry: new URL("./examine-worker.js", here), options: { workerData } };
  const api = createRequire(fileURLToPath(here))
    .resolve("tsx/esm/api")
    .replace(/\.cjs$/, ".mjs");
  const worker = new URL("./examine-worker.ts", here).href;
  return {
    entry: [
      `const { register } = await import(${JSON.stringify(pathToFileURL(api).href)});`,
      "register();",
      `await import(${JSON.stringify(worker)});`,
    ].join("\n"),
    options: { eval: true, workerData, execArgv: ["--conditions=@perflayer/source"] },
  };
}

/** Lets queued messages (the worker threads' results) be handled between two files here. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Examines files on `threads` threads — this one and `threads - 1` worker threads, each with its
 * own parser — largest files first, so that the threads finish together. Each result is handed
 * to `done` as it arrives, in no particular order: the caller puts them back in file order.
 * A worker thread that cannot start leaves its share to the others; one that stops mid-run
 * (out of memory, say) fails the files it held, which are skipped with the reason.
 * @param tasks - the files to examine
 * @param threads - threads to use (1: this one only)
 * @param includeGenerated - as in the pass
 * @param done - called with each task's index and result
 * @param here - whether this thread examines files too (tests turn it off to see the workers'
 *   results alone); files no worker took are examined here in any case
 * @returns how many threads examined at least one file, and how many files this one examined
 */
export async function examineOnThreads(
  tasks: readonly ExamineTask[],
  threads: number,
  includeGenerated: boolean,
  done: (index: number, examined: ExaminedFile) => void,
  here = true,
): Promise<{ readonly threads: number; readonly examinedHere: number }> {
  // On one thread, file order (the progress line reads naturally); on more, largest first.
  const order = tasks.map((_, index) => index);
  if (threads > 1)
    order.sort(
      (a, b) =>
        (tasks[b] as ExamineTask).bytes.byteLength - (tasks[a] as ExamineTask).bytes.byteLength ||
        a - b,
    );
  let next = 0;
  const take = (): number | undefined => (next < order.length ? order[next++] : undefined);
  const { entry, options } = workerEntry(includeGenerated);
  const workers: { worker: Worker; finished: Promise<void>; idle: () => void }[] = [];
  // The worker threads that examined at least one file.
  const working = new Set<Worker>();
  for (let w = 1; w < threads; w++) {
    const worker = new Worker(entry, options);
    let ready = false;
    const held = new Set<number>();
    let resolve = (): void => {};
    const finished = new Promise<void>((r) => (resolve = r));
    const feed = (): void => {
      const index = take();
      if (index === undefined) {
        if (held.size === 0) resolve();
        return;
      }
      held.add(index);
      const request: ExamineRequest = { index, ...(tasks[index] as ExamineTask) };
      worker.postMessage(request);
    };
    const stopped = (reason: string): void => {
      for (const index of held)
        done(index, {
          result: {
            hash: (tasks[index] as ExamineTask).hash,
            lines: 0,
            raw: [],
            imports: [],
            skip: {
              code: "failed",
              reason: `the analyzer failed on this file (its worker thread stopped: ${reason}); please report it`,
            },
          },
          cacheable: false,
        });
      held.clear();
      resolve();
    };
    worker.on("message", (reply: ExamineReply) => {
      if (reply.type === "ready") {
        ready = true;
        for (let i = 0; i < IN_FLIGHT; i++) feed();
        return;
      }
      working.add(worker);
      held.delete(reply.index);
      done(reply.index, reply.examined);
      feed();
    });
    worker.on("error", (error) => stopped(errorText(error)));
    worker.on("exit", (code) => stopped(`exit code ${code}`));
    // A worker still loading when this thread has taken the last file has nothing left to do.
    workers.push({ worker, finished, idle: () => (ready ? undefined : resolve()) });
  }
  let examinedHere = 0;
  const examineHere = async (index: number): Promise<void> => {
    const task = tasks[index] as ExamineTask;
    done(index, await examineFile(task.file, task.bytes, task.hash, includeGenerated));
    examinedHere++;
  };
  try {
    if (here)
      for (let index = take(); index !== undefined; index = take()) {
        await examineHere(index);
        if (workers.length > 0) await nextTurn();
      }
    else if (workers.length === 0) here = true;
    if (here) for (const { idle } of workers) idle();
    await Promise.all(workers.map(({ finished }) => finished));
    // Files no worker took (every worker failed to start).
    for (let index = take(); index !== undefined; index = take()) await examineHere(index);
  } finally {
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }
  return { threads: working.size + (examinedHere > 0 ? 1 : 0), examinedHere };
}
