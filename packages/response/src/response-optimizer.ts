import {
  AbortError,
  OverloadError,
  PerflayerConfigError,
  PerflayerError,
  TimeoutError,
  WarningLimiter,
  abortReason,
  assertFunction,
  assertInteger,
  assertKnownKeys,
  assertNumber,
  detectProfile,
  formatExpected,
  invalid,
  isRecording,
  noopInstrumentation,
  resolveDeadline,
  systemClock,
} from "@perflayer/core";
import type {
  Clock,
  Closeable,
  Deadline,
  EnvironmentProfile,
  Instrumentation,
  TimerHandle,
} from "@perflayer/core";
import type { LimitAlgorithm } from "./limit-algorithm.js";
import { priorityLabel, priorityValue } from "./priority.js";
import type { Priority } from "./priority.js";
import { ResponseMetrics } from "./response-metrics.js";
import type { PriorityMetrics, TaskOutcome } from "./response-metrics.js";
import { runTimeEstimate } from "./run-time-estimate.js";
import type { DeadlineAwareOptions, RunTimeEstimate } from "./run-time-estimate.js";
import { TaskQueue } from "./task-queue.js";
import type { QueueEntry } from "./task-queue.js";

/** What a task receives. */
export interface TaskContext {
  /** Aborted at the task's deadline or when every caller gave up. Pass it on to I/O. */
  readonly signal: AbortSignal;
}

/** A unit of work. It may be sync or async; a synchronous throw rejects its promise. */
export type Task<T> = (context: TaskContext) => T | Promise<T>;

/** Options of one `run()`. */
export interface RunOptions {
  /** A level name or an integer; higher runs first. @defaultValue "normal" */
  readonly priority?: Priority;
  /** Time budget from now (enqueue), in milliseconds: queue wait plus run time. */
  readonly timeoutMs?: number;
  /**
   * Absolute deadline: a `Date`, or a time on the optimizer's clock in `clock.now()` units
   * (`performance.now()` for the real clock). Epoch milliseconds (`Date.now() + 200`) are rejected
   * with a `PerflayerConfigError`: pass `new Date(…)` for them.
   */
  readonly deadline?: Deadline;
  /** Stops this caller waiting; a queued task is removed at once, a running one sees its signal abort. */
  readonly signal?: AbortSignal;
  /** Tasks with the same key in flight share one execution (request coalescing). */
  readonly key?: string;
}

/** Queue-delay shedding after CoDel, as in "Fail at Scale". */
export interface CodelOptions {
  /** Queue wait allowed while a standing queue exists. @defaultValue 5 */
  readonly targetMs?: number;
  /** A queue not empty for this long is a standing queue; otherwise this is the allowed wait. @defaultValue 100 */
  readonly intervalMs?: number;
  /** Serve newest first within a priority while a standing queue exists (adaptive LIFO). @defaultValue false */
  readonly adaptiveLifo?: boolean;
}

/** A response-time objective. */
export interface ResponseSlo {
  /** Tasks should finish (queue wait + run) within this many milliseconds, 99 % of the time. */
  readonly p99Ms: number;
}

/** Options of {@link ResponseOptimizer}. */
export interface ResponseOptimizerOptions {
  /**
   * Most tasks running at once (an integer >= 1), or an adaptive `LimitAlgorithm`
   * (`new AimdLimit()`, `new GradientLimit()`).
   * @defaultValue 16
   */
  readonly concurrency?: number | LimitAlgorithm;
  /** @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** Reports `perflayer_response_*` metrics. @defaultValue `noopInstrumentation` */
  readonly instrumentation?: Instrumentation;
  /**
   * The `optimizer` label of its metrics: give each optimizer sharing an instrumentation its own
   * name, or their series merge. @defaultValue "default"
   */
  readonly name?: string;
  /**
   * Most queued tasks; beyond it the lowest-priority queued task (or the newcomer, if it is the
   * lowest) is shed with `OverloadError`.
   * @defaultValue Infinity
   */
  readonly maxQueue?: number;
  /** Queue-delay shedding; `true` for the defaults. @defaultValue off */
  readonly codel?: boolean | CodelOptions;
  /** Tasks at or above this priority are never shed by queue delay. @defaultValue "critical" */
  readonly shedExemptAbove?: Priority;
  /**
   * While tasks of lower priority are queued, tasks at or above this priority are not shed by
   * queue delay (CoDel): the lower ones go first. When only such tasks are queued, CoDel sheds
   * them too, so the queue still drains. (A full queue, `maxQueue`, always sheds the lowest
   * priority first.) Pass `"critical"` or a higher integer to protect fewer.
   * @defaultValue "high"
   */
  readonly protectAbove?: Priority;
  /**
   * Queued tasks climb one named level (+10) per `agingMs` waited, up to `critical`, so low
   * priority cannot starve. @defaultValue off
   */
  readonly agingMs?: number;
  /** Default per-task timeout (from enqueue) when `run()` gives none. @defaultValue none */
  readonly defaultTimeoutMs?: number;
  /**
   * Deadline-aware starts: a task whose remaining deadline is no longer than the run time it is
   * expected to need (a percentile of recent tasks' run times, start to settle, queue wait
   * excluded) is not started — it rejects with `TimeoutError` saying so, rather than holding a
   * slot and the backend for an answer its caller would never see (outcome `timeout`). A task that
   * finds the optimizer idle for longer than that run time always starts. `false`
   * starts every task that has any time left. The estimate is one per optimizer: give work of very
   * different run times its own optimizer.
   * @defaultValue `{ percentile: 90, windowMs: 10_000, minSamples: 10 }`
   */
  readonly deadlineAware?: boolean | DeadlineAwareOptions;
  /** Response-time objective for the compliance gauge. @defaultValue `{ p99Ms: profile.responseTimeBudgetMs }` (100 ms) */
  readonly slo?: ResponseSlo;
  /** @defaultValue `detectProfile()` */
  readonly profile?: EnvironmentProfile;
}

/** Live figures of the optimizer. */
export interface ResponseStats {
  /** Tasks running. */
  readonly running: number;
  /** Tasks queued. */
  readonly queued: number;
  /** The concurrency limit in force. */
  readonly limit: number;
  /** Whether a standing queue exists (CoDel). */
  readonly standingQueue: boolean;
  /** Finished tasks by outcome. */
  readonly outcomes: Readonly<Record<TaskOutcome, number>>;
  /**
   * User callbacks that threw or returned something invalid (a `LimitAlgorithm`'s `update()` or
   * `limit`, an HTTP adapter's `priority`/`timeoutMs` function). Each is reported as a process
   * warning (rate-limited) and the scheduler carries on.
   */
  readonly callbackErrors: number;
  /** SLO compliance by priority label over the last 1,000 tasks. */
  readonly compliance: Readonly<Record<string, number>>;
}

interface Waiter<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  waitTimer: TimerHandle | undefined;
  done: boolean;
}

/** One submitted task; it is also the waiter of the caller that submitted it. */
class Job<T> implements QueueEntry, Waiter<T> {
  priority: number;
  readonly enqueuedAt: number;
  removed = false;
  readonly fn: Task<T>;
  readonly metrics: PriorityMetrics | undefined;
  readonly deadline: number;
  readonly key: string | undefined;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined = undefined;
  waitTimer: TimerHandle | undefined = undefined;
  done = false;
  /** Callers that joined through coalescing (the submitter is the job itself). */
  joined: Waiter<T>[] | undefined = undefined;
  active = 1;
  state: 0 | 1 | 2 = 0; // queued, running, finished
  controller: AbortController | undefined = undefined;
  abortReason: PerflayerError | undefined = undefined;
  startedAt = 0;
  timer: TimerHandle | undefined = undefined;

  constructor(
    fn: Task<T>,
    priority: number,
    now: number,
    deadline: number,
    key: string | undefined,
    signal: AbortSignal | undefined,
    metrics: PriorityMetrics | undefined,
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
  ) {
    this.fn = fn;
    this.priority = priority;
    this.enqueuedAt = now;
    this.deadline = deadline;
    this.key = key;
    this.signal = signal;
    this.metrics = metrics;
    this.resolve = resolve;
    this.reject = reject;
  }

  /** The metric label of the priority the task was submitted with. */
  get label(): string {
    return this.metrics?.label ?? "";
  }
}

/** A task's context; its AbortController is created on first use (most tasks never read it). */
class JobContext implements TaskContext {
  readonly #job: Job<unknown>;
  constructor(job: Job<unknown>) {
    this.#job = job;
  }
  get signal(): AbortSignal {
    const job = this.#job;
    if (job.controller === undefined) {
      job.controller = new AbortController();
      if (job.abortReason !== undefined) job.controller.abort(job.abortReason);
    }
    return job.controller.signal;
  }
}

/** Timers that settle a promise a caller awaits keep the process alive. */
const REF = { ref: true } as const;

function isValidLimit(limit: unknown): limit is number {
  return typeof limit === "number" && Number.isInteger(limit) && limit >= 1;
}

/**
 * What a finished task tells a limit algorithm about the backend: `false` for a latency sample
 * (its run time, from start to settle), `true` for a drop, `undefined` for nothing.
 *
 * Queue wait is never part of the sample, and a deadline that passed because the task waited in
 * this optimizer's queue is not the backend's fault: a task that ran to completion after its
 * deadline is an ordinary sample unless its run time alone used the whole budget; a task stopped by
 * the abort (its run time cut short) is a drop only when it had run for the whole budget. Overload
 * errors and the task's own `TimeoutError`s are drops; other errors say nothing about capacity.
 */
function backendDropped(
  job: Job<unknown>,
  ok: boolean,
  value: unknown,
  runMs: number,
): boolean | undefined {
  const budget = job.deadline - job.enqueuedAt;
  if (ok) return runMs >= budget;
  if (value instanceof OverloadError) return true;
  if (value === job.abortReason || isAbortError(value)) return runMs >= budget ? true : undefined;
  if (value instanceof TimeoutError) return true;
  return undefined;
}

/** Milliseconds for a message: whole ones, or one decimal under 10. */
function round(ms: number): string {
  return ms < 10 ? ms.toFixed(1).replace(/\.0$/, "") : String(Math.round(ms));
}

function isAbortError(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Error).name === "AbortError";
}

class FixedLimit implements LimitAlgorithm {
  constructor(readonly limit: number) {}
  update(): number {
    return this.limit;
  }
}

const KNOWN: readonly string[] = [
  "concurrency",
  "clock",
  "instrumentation",
  "maxQueue",
  "codel",
  "shedExemptAbove",
  "protectAbove",
  "agingMs",
  "defaultTimeoutMs",
  "deadlineAware",
  "slo",
  "profile",
  "name",
];

/** How an HTTP adapter reports its callbacks' failures through the optimizer it serves. */
const callbackReporters = new WeakMap<
  ResponseOptimizer,
  (callback: string, error: unknown) => void
>();

/**
 * Reports a failure of a user callback that runs on an optimizer's behalf (the HTTP adapters'
 * `priority` and `timeoutMs` functions): counted in `stats().callbackErrors` and warned about.
 * @internal
 * @param optimizer - the optimizer served
 * @param callback - which callback, e.g. `priority`
 * @param error - what it threw
 */
export function reportCallbackError(
  optimizer: ResponseOptimizer,
  callback: string,
  error: unknown,
): void {
  callbackReporters.get(optimizer)?.(callback, error);
}

/**
 * Runs tasks with bounded (optionally adaptive) concurrency and priorities, deadlines measured
 * from enqueue, load shedding, coalescing and response-time tracking. Every submitted task
 * settles exactly once: it runs, times out (`TimeoutError`), is shed (`OverloadError` with
 * `retryAfterMs`) or is aborted (`AbortError`).
 *
 * @example
 * ```ts
 * const responses = new ResponseOptimizer({ concurrency: 32, maxQueue: 1_000, codel: true });
 * const user = await responses.run(({ signal }) => fetchUser(id, { signal }), { priority: "high", timeoutMs: 200, key: `user:${id}` });
 * ```
 */
export class ResponseOptimizer implements Closeable {
  readonly #clock: Clock;
  readonly #queue = new TaskQueue<Job<unknown>>();
  readonly #limit: LimitAlgorithm;
  /** The limit in force: the algorithm's last valid limit (an integer >= 1). */
  #limitValue: number;
  readonly #adaptive: boolean;
  readonly #maxQueue: number;
  readonly #codel: Required<CodelOptions> | undefined;
  readonly #shedExempt: number;
  readonly #protect: number;
  readonly #defaultTimeoutMs: number | undefined;
  readonly #sloMs: number;
  readonly #metrics: ResponseMetrics | undefined;
  readonly #keys = new Map<string, Job<unknown>>();
  readonly #outcomes: Record<TaskOutcome, number> = {
    ok: 0,
    error: 0,
    timeout: 0,
    shed: 0,
    aborted: 0,
  };
  readonly #depth = new Map<string, number>();
  readonly #timers: TimerHandle[] = [];
  // Deadlines of queued tasks, checked by one timer (not one per task).
  readonly #deadlines: Job<unknown>[] = [];
  #deadlineTimer: TimerHandle | undefined;
  #deadlineAt = Number.POSITIVE_INFINITY;
  #running = 0;
  /** Whether any feature needs clock readings per task (metrics, shedding, aging, adaptive limits). */
  readonly #timed: boolean;
  #lastEmpty: number;
  #avgRunMs = 0;
  /** The run time a task is expected to need; `undefined` when `deadlineAware` is off. */
  readonly #runTime: RunTimeEstimate | undefined;
  #callbackErrors = 0;
  readonly #warnings: WarningLimiter;
  #closed = false;

  /** The `optimizer` label of its metrics. */
  readonly name: string;

  /** @param options - concurrency, clock, instrumentation, shedding, aging and SLO */
  constructor(options: ResponseOptimizerOptions = {}) {
    const context = "new ResponseOptimizer()";
    assertKnownKeys(options, KNOWN, context);
    const name = options.name ?? "default";
    if (typeof name !== "string" || name.trim() === "")
      throw invalid({
        name: "name",
        expected: "a non-empty string",
        got: name,
        fix: 'Pass e.g. { name: "backend" }; it labels the metrics of this optimizer.',
        context,
      });
    this.name = name;
    const concurrency = options.concurrency ?? 16;
    if (typeof concurrency === "number") {
      this.#limit = new FixedLimit(
        assertInteger(concurrency, {
          name: "concurrency",
          min: 1,
          fix: "Pass e.g. { concurrency: 32 }.",
          context,
        }),
      );
      this.#adaptive = false;
    } else if (
      typeof concurrency === "object" &&
      concurrency !== null &&
      typeof concurrency.update === "function"
    ) {
      this.#limit = concurrency;
      this.#adaptive = true;
      const initial = concurrency.limit;
      if (!isValidLimit(initial)) {
        throw invalid({
          name: "concurrency.limit",
          expected: "an integer >= 1",
          got: initial,
          fix: "A LimitAlgorithm's limit is a whole number of tasks; start it at e.g. 10.",
          context,
        });
      }
    } else {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({
          name: "concurrency",
          expected: "an integer >= 1 or a LimitAlgorithm",
          got: concurrency,
          fix: "Pass e.g. { concurrency: 32 } or { concurrency: new AimdLimit() }.",
          context,
        }),
      );
    }
    this.#limitValue = this.#limit.limit;
    this.#clock = options.clock ?? systemClock;
    this.#warnings = new WarningLimiter({ clock: this.#clock });
    callbackReporters.set(this, (callback, error) => this.#callbackFailed(callback, error));
    this.#lastEmpty = this.#clock.now();
    this.#maxQueue =
      options.maxQueue === undefined
        ? Number.POSITIVE_INFINITY
        : assertInteger(options.maxQueue, {
            name: "maxQueue",
            min: 0,
            allowInfinity: true,
            context,
          });
    const codel = options.codel;
    if (codel !== undefined && codel !== false) {
      const given = codel === true ? {} : codel;
      assertKnownKeys(given, ["targetMs", "intervalMs", "adaptiveLifo"], `${context} codel`);
      this.#codel = {
        targetMs: assertNumber(given.targetMs ?? 5, {
          name: "codel.targetMs",
          min: 0,
          minExclusive: true,
          context,
        }),
        intervalMs: assertNumber(given.intervalMs ?? 100, {
          name: "codel.intervalMs",
          min: 0,
          minExclusive: true,
          context,
        }),
        adaptiveLifo: given.adaptiveLifo ?? false,
      };
    }
    this.#shedExempt = priorityValue(options.shedExemptAbove ?? "critical", {
      name: "shedExemptAbove",
      context,
    });
    this.#protect = priorityValue(options.protectAbove ?? "high", {
      name: "protectAbove",
      context,
    });
    if (options.defaultTimeoutMs !== undefined)
      this.#defaultTimeoutMs = assertNumber(options.defaultTimeoutMs, {
        name: "defaultTimeoutMs",
        min: 0,
        minExclusive: true,
        context,
      });
    this.#runTime = runTimeEstimate(options.deadlineAware, context);
    const profile = options.profile ?? detectProfile();
    this.#sloMs = assertNumber(options.slo?.p99Ms ?? profile.responseTimeBudgetMs, {
      name: "slo.p99Ms",
      min: 0,
      minExclusive: true,
      context,
    });
    const instrumentation = options.instrumentation ?? noopInstrumentation;
    if (isRecording(instrumentation)) {
      this.#metrics = new ResponseMetrics(instrumentation, this.name, {
        depth: (label) => this.#depth.get(label) ?? 0,
        limit: () => this.#limitValue,
      });
    }
    this.#timed =
      this.#metrics !== undefined ||
      this.#codel !== undefined ||
      this.#adaptive ||
      this.#maxQueue !== Number.POSITIVE_INFINITY ||
      options.agingMs !== undefined ||
      this.#defaultTimeoutMs !== undefined;
    if (options.agingMs !== undefined) {
      const agingMs = assertNumber(options.agingMs, { name: "agingMs", min: 1, context });
      this.#timers.push(
        this.#clock.setInterval(
          () => this.#queue.age(this.#clock.now() - agingMs, 10, 20),
          agingMs,
        ),
      );
    }
  }

  /** @returns the concurrency limit in force */
  get limit(): number {
    return this.#limitValue;
  }

  /** @returns tasks running now */
  get running(): number {
    return this.#running;
  }

  /** @returns tasks waiting */
  get queued(): number {
    return this.#queue.size;
  }

  /**
   * Submits a task.
   * @typeParam T - its result
   * @param task - the work; receives `{ signal }`
   * @param options - priority, `timeoutMs` or `deadline`, `signal`, coalescing `key`
   * @returns its result; rejects with the task's error, `TimeoutError`, `OverloadError` or `AbortError`
   */
  run<T>(task: Task<T>, options: RunOptions = {}): Promise<T> {
    assertFunction(task, {
      name: "task",
      fix: "Pass e.g. ({ signal }) => fetch(url, { signal }).",
      context: "ResponseOptimizer.run()",
    });
    if (this.#closed)
      return Promise.reject(new PerflayerError("ERR_CLOSED", "ResponseOptimizer is closed."));
    // Untimed optimizers skip clock reads for tasks without a deadline: they cost ~30 ns each.
    const now =
      this.#timed || options.timeoutMs !== undefined || options.deadline !== undefined
        ? this.#clock.now()
        : 0;
    const deadline = this.#deadlineOf(options, now);
    const signal = options.signal;
    const key = options.key;
    if (key !== undefined) {
      const shared = this.#keys.get(key) as Job<T> | undefined;
      if (shared !== undefined) return this.#join(shared, signal, deadline, now);
    }
    if (signal?.aborted === true) return Promise.reject(abortReason(signal, "the task"));
    const priority = priorityValue(options.priority);
    const metrics = this.#metrics?.for(priorityLabel(priority));
    return new Promise<T>((resolve, reject) => {
      const job = new Job<T>(
        task,
        priority,
        now,
        deadline,
        key,
        signal,
        metrics,
        resolve,
        reject,
      ) as unknown as Job<unknown>;
      if (key !== undefined) this.#keys.set(key, job);
      if (signal !== undefined) this.#watch(job, job);
      if (this.#running < this.#limitValue && this.#queue.size === 0) {
        this.#lastEmpty = now;
        if (!this.#tooLate(job, now)) this.#start(job, now);
      } else {
        this.#enqueue(job, now);
      }
    });
  }

  /**
   * Rejects every queued task with `AbortError` (running tasks go on).
   * @returns how many were rejected
   */
  clear(): number {
    const jobs = this.#queue.drain();
    for (const job of jobs)
      this.#finish(
        job,
        "aborted",
        new AbortError("The task was removed from the queue by clear()"),
      );
    this.#deadlines.length = 0;
    this.#depth.clear();
    return jobs.length;
  }

  /** @returns running and queued counts, the limit, outcomes and SLO compliance */
  stats(): ResponseStats {
    return {
      running: this.#running,
      queued: this.#queue.size,
      limit: this.#limitValue,
      standingQueue: this.#standing(this.#clock.now()),
      outcomes: { ...this.#outcomes },
      callbackErrors: this.#callbackErrors,
      compliance: this.#metrics?.compliance() ?? {},
    };
  }

  /**
   * Resolves once no task is queued or running.
   * @returns a promise
   */
  async idle(): Promise<void> {
    while (this.#running > 0 || this.#queue.size > 0)
      await new Promise((resolve) => setImmediate(resolve));
  }

  /** Rejects queued tasks, refuses new ones and stops timers; running tasks finish. Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.clear();
      for (const timer of this.#timers) timer.cancel();
      this.#deadlineTimer?.cancel();
      this.#warnings.flush();
    }
    return Promise.resolve();
  }

  /** Same as {@link ResponseOptimizer.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #deadlineOf(options: RunOptions, now: number): number {
    if (options.deadline !== undefined) {
      if (options.timeoutMs !== undefined) {
        throw new PerflayerConfigError(
          "ERR_INVALID_ARGUMENT",
          "ResponseOptimizer.run(): pass `timeoutMs` or `deadline`, not both.",
        );
      }
      return resolveDeadline(options.deadline, this.#clock, {
        name: "deadline",
        context: "ResponseOptimizer.run()",
      });
    }
    const timeoutMs = options.timeoutMs ?? this.#defaultTimeoutMs;
    if (timeoutMs === undefined) return Number.POSITIVE_INFINITY;
    return (
      now +
      assertNumber(timeoutMs, {
        name: "timeoutMs",
        min: 0,
        fix: "Pass milliseconds, e.g. { timeoutMs: 250 }.",
        context: "ResponseOptimizer.run()",
      })
    );
  }

  #enqueue(job: Job<unknown>, now: number): void {
    if (job.deadline <= now) {
      this.#finish(job, "timeout", this.#timeoutError(job, now));
      return;
    }
    if (this.#queue.size >= this.#maxQueue) {
      const lowest = this.#queue.lowest();
      if (lowest === undefined || lowest.priority >= job.priority) {
        this.#finish(job, "shed", this.#overload(`the queue is full (${this.#maxQueue} tasks)`));
        return;
      }
      this.#queue.remove(lowest);
      this.#depthChange(lowest.label, -1);
      this.#finish(
        lowest,
        "shed",
        this.#overload(
          `the queue is full (${this.#maxQueue} tasks) and a higher-priority task arrived`,
        ),
      );
    }
    if (this.#queue.size === 0) this.#lastEmpty = now;
    this.#queue.push(job);
    this.#depthChange(job.label, 1);
    if (job.deadline !== Number.POSITIVE_INFINITY) this.#watchDeadline(job);
  }

  #pump(): void {
    while (this.#running < this.#limitValue) {
      const job = this.#queue.shift(
        this.#codel?.adaptiveLifo === true && this.#standing(this.#clock.now()),
      );
      if (job === undefined) {
        if (this.#timed) this.#lastEmpty = this.#clock.now();
        return;
      }
      const now = this.#timed || job.deadline !== Number.POSITIVE_INFINITY ? this.#clock.now() : 0;
      this.#depthChange(job.label, -1);
      if (this.#queue.size === 0) this.#lastEmpty = now;
      if (job.deadline <= now) {
        this.#finish(job, "timeout", this.#timeoutError(job, now));
        continue;
      }
      const codel = this.#codel;
      if (codel !== undefined && job.priority < this.#shedExempt && !this.#protected(job)) {
        const allowed = this.#standing(now) ? codel.targetMs : codel.intervalMs;
        const waited = now - job.enqueuedAt;
        if (waited > allowed) {
          this.#finish(
            job,
            "shed",
            this.#overload(
              `it waited ${Math.round(waited)} ms in the queue (allowed ${allowed} ms under load)`,
            ),
          );
          continue;
        }
      }
      if (!this.#tooLate(job, now)) this.#start(job, now);
    }
  }

  /**
   * Rejects a task that is about to start with no more of its deadline left than the run time it
   * is expected to need. Not on an optimizer that has been idle for longer than that run time:
   * with nothing running, no new run time would refresh an estimate left over from a slow spell,
   * so the task starts and is measured.
   * @returns whether it was rejected
   */
  #tooLate(job: Job<unknown>, now: number): boolean {
    const runTime = this.#runTime;
    if (runTime === undefined || job.deadline === Number.POSITIVE_INFINITY) return false;
    const expected = runTime.expected(now);
    const left = job.deadline - now;
    if (expected === 0 || left > expected) return false;
    if (this.#running === 0 && now - runTime.lastAt > expected) return false;
    const budget = job.deadline - job.enqueuedAt;
    this.#finish(
      job,
      "timeout",
      new TimeoutError(
        `the task was not started: ${round(left)} ms of its deadline were left (${round(budget)} ms from enqueue, ${round(now - job.enqueuedAt)} ms waited), no more than the ~${round(expected)} ms recent tasks ran (deadlineAware)`,
        { timeoutMs: budget },
      ),
    );
    return true;
  }

  /** A protected task is not shed by queue delay while lower priorities are still queued. */
  #protected(job: Job<unknown>): boolean {
    return job.priority >= this.#protect && this.#queue.hasBelow(job.priority);
  }

  #standing(now: number): boolean {
    return (
      this.#codel !== undefined &&
      this.#queue.size > 0 &&
      now - this.#lastEmpty > this.#codel.intervalMs
    );
  }

  #start(job: Job<unknown>, now: number): void {
    job.state = 1;
    job.startedAt = now;
    this.#running++;
    job.metrics?.queueWait.observe((now - job.enqueuedAt) / 1000);
    if (job.deadline !== Number.POSITIVE_INFINITY) {
      // Ref'd, as every timer that settles an awaited promise (see Clock's TimerOptions).
      job.timer = this.#clock.setTimeout(
        () => this.#expireRunning(job),
        Math.max(0, job.deadline - now),
        REF,
      );
    }
    let result: unknown;
    try {
      result = job.fn(new JobContext(job));
    } catch (error) {
      this.#done(job, false, error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (value: unknown) => this.#done(job, true, value),
        (error: unknown) => this.#done(job, false, error),
      );
    } else {
      // A synchronous result: settle on a microtask so callers always get an async answer.
      void Promise.resolve().then(() => this.#done(job, true, result));
    }
  }

  #done(job: Job<unknown>, ok: boolean, value: unknown): void {
    this.#running--;
    job.timer?.cancel();
    let now = 0;
    if (this.#timed || job.deadline !== Number.POSITIVE_INFINITY) {
      now = this.#clock.now();
      const runMs = now - job.startedAt;
      this.#runTime?.record(runMs, now);
      this.#avgRunMs = this.#avgRunMs === 0 ? runMs : this.#avgRunMs * 0.9 + runMs * 0.1;
      job.metrics?.runDuration.observe(runMs / 1000);
      if (this.#adaptive) {
        const dropped = backendDropped(job, ok, value, runMs);
        if (dropped !== undefined) this.#updateLimit(runMs, this.#running + 1, dropped, now);
      }
    }
    if (job.state !== 2) {
      if (ok) this.#finish(job, "ok", undefined, value, now);
      else this.#finish(job, "error", value);
    }
    this.#pump();
  }

  /**
   * Feeds the limit algorithm. Whatever it does — throw, or produce a limit that is not an integer
   * >= 1 — is reported and the previous limit stays in force: the caller of the finished task still
   * settles and the queue keeps running.
   */
  #updateLimit(rttMs: number, inflight: number, dropped: boolean, now: number): void {
    let next: unknown;
    try {
      this.#limit.update(rttMs, inflight, dropped, now);
      next = this.#limit.limit;
    } catch (error) {
      this.#callbackFailed("limit", error);
      return;
    }
    if (isValidLimit(next)) {
      this.#limitValue = next;
      return;
    }
    this.#callbackFailed(
      "limit",
      invalid({
        name: "concurrency.limit",
        expected: "an integer >= 1",
        got: next,
        fix: `Fix the LimitAlgorithm's update(); the previous limit (${this.#limitValue}) stays in force.`,
      }),
    );
  }

  #callbackFailed(callback: string, error: unknown): void {
    this.#callbackErrors++;
    this.#metrics?.callbackError(callback);
    this.#warnings.warn(
      "PERFLAYER_RESPONSE_CALLBACK",
      `ResponseOptimizer "${this.name}": the ${callback} callback failed and was skipped: ${String(error)}`,
      `callback:${callback}`,
    );
  }

  #expireRunning(job: Job<unknown>): void {
    if (job.state !== 1) return;
    const error = this.#timeoutError(job, this.#clock.now());
    job.abortReason = error;
    job.controller?.abort(error);
    this.#finish(job, "timeout", error);
  }

  /** Settles every remaining waiter of a job once, and records the outcome. */
  #finish(
    job: Job<unknown>,
    outcome: TaskOutcome,
    error: unknown,
    value?: unknown,
    now?: number,
  ): void {
    const wasRunning = job.state === 1;
    job.state = 2;
    if (job.key !== undefined && this.#keys.get(job.key) === job) this.#keys.delete(job.key);
    this.#outcomes[outcome]++;
    const metrics = job.metrics;
    if (metrics !== undefined) {
      metrics.outcomes[outcome].inc();
      const total = (now ?? this.#clock.now()) - job.enqueuedAt;
      this.#metrics?.recordSlo(metrics, outcome === "ok" && total <= this.#sloMs);
    }
    if (outcome !== "ok" && wasRunning && job.abortReason === undefined)
      job.abortReason = error instanceof PerflayerError ? error : undefined;
    this.#settle(job, outcome, error, value);
    const joined = job.joined;
    if (joined !== undefined)
      for (const waiter of joined) this.#settle(waiter, outcome, error, value);
  }

  #settle(waiter: Waiter<unknown>, outcome: TaskOutcome, error: unknown, value: unknown): void {
    if (waiter.done) return;
    this.#release(waiter);
    if (outcome === "ok") waiter.resolve(value);
    else waiter.reject(error);
  }

  #join<T>(
    job: Job<T>,
    signal: AbortSignal | undefined,
    deadline: number,
    now: number,
  ): Promise<T> {
    if (signal?.aborted === true) return Promise.reject(abortReason(signal, "the task"));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve,
        reject,
        signal,
        onAbort: undefined,
        waitTimer: undefined,
        done: false,
      };
      (job.joined ??= []).push(waiter);
      job.active++;
      if (signal !== undefined) this.#watch(job, waiter);
      if (deadline < job.deadline) {
        // This caller's own, earlier deadline ends only its wait.
        waiter.waitTimer = this.#clock.setTimeout(
          () =>
            this.#leave(
              job,
              waiter,
              this.#timeoutError(job as unknown as Job<unknown>, this.#clock.now()),
            ),
          Math.max(0, deadline - now),
          REF,
        );
      }
    });
  }

  #watch<T>(job: Job<T>, waiter: Waiter<T>): void {
    const signal = waiter.signal as AbortSignal;
    waiter.onAbort = (): void => this.#leave(job, waiter, abortReason(signal, "the task"));
    signal.addEventListener("abort", waiter.onAbort, { once: true });
  }

  /** One caller stops waiting; the job is cancelled only when no caller is left. */
  #leave<T>(job: Job<T>, waiter: Waiter<T>, reason: PerflayerError): void {
    if (waiter.done || job.state === 2) return;
    this.#release(waiter);
    waiter.reject(reason);
    if (--job.active > 0) return;
    const generic = job as unknown as Job<unknown>;
    if (job.state === 0) {
      this.#queue.remove(generic);
      this.#depthChange(job.label, -1);
      this.#finish(generic, reason instanceof TimeoutError ? "timeout" : "aborted", reason);
    } else {
      job.abortReason = reason;
      job.controller?.abort(reason);
      this.#finish(generic, reason instanceof TimeoutError ? "timeout" : "aborted", reason);
    }
  }

  #release<T>(waiter: Waiter<T>): void {
    waiter.done = true;
    waiter.waitTimer?.cancel();
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener("abort", waiter.onAbort);
  }

  #watchDeadline(job: Job<unknown>): void {
    this.#deadlines.push(job);
    if (job.deadline < this.#deadlineAt) this.#armDeadlines(job.deadline);
  }

  #armDeadlines(at: number): void {
    this.#deadlineTimer?.cancel();
    this.#deadlineAt = at;
    this.#deadlineTimer = this.#clock.setTimeout(
      () => this.#expireQueued(),
      Math.max(0, at - this.#clock.now()),
      REF,
    );
  }

  /** Drops queued tasks whose deadline passed, then re-arms for the next deadline. */
  #expireQueued(): void {
    this.#deadlineTimer = undefined;
    this.#deadlineAt = Number.POSITIVE_INFINITY;
    const now = this.#clock.now();
    let next = Number.POSITIVE_INFINITY;
    let kept = 0;
    for (const job of this.#deadlines) {
      if (job.state !== 0 || job.removed) continue;
      if (job.deadline <= now) {
        this.#queue.remove(job);
        this.#depthChange(job.label, -1);
        this.#finish(job, "timeout", this.#timeoutError(job, now));
      } else {
        this.#deadlines[kept++] = job;
        if (job.deadline < next) next = job.deadline;
      }
    }
    this.#deadlines.length = kept;
    if (next !== Number.POSITIVE_INFINITY) this.#armDeadlines(next);
  }

  #depthChange(label: string, delta: number): void {
    if (this.#metrics !== undefined) this.#depth.set(label, (this.#depth.get(label) ?? 0) + delta);
  }

  #timeoutError(job: Job<unknown>, now: number): TimeoutError {
    const budget = job.deadline - job.enqueuedAt;
    const where = job.state === 1 ? "while running" : "before it could start";
    return new TimeoutError(
      `the task's deadline passed ${where} (${Math.round(budget)} ms from enqueue, ${Math.round(now - job.enqueuedAt)} ms elapsed)`,
      { timeoutMs: budget },
    );
  }

  #overload(why: string): OverloadError {
    const perTask = this.#avgRunMs === 0 ? 100 : this.#avgRunMs;
    const retryAfterMs = Math.min(
      60_000,
      Math.max(1, Math.ceil(((this.#queue.size + 1) / this.#limitValue) * perTask)),
    );
    return new OverloadError(`The task was shed: ${why}. Retry after ~${retryAfterMs} ms.`, {
      retryAfterMs,
    });
  }
}
