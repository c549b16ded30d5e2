import {
  PerflayerConfigError,
  assertKnownKeys,
  assertNumber,
  formatExpected,
} from "@perflayer/core";

/** Statistics an alert condition can read from a metric over the monitor's window. */
export type AlertStat = "value" | "rate" | "count" | "p50" | "p90" | "p99";

/** Comparison operators of an alert condition. */
export type AlertOperator = ">" | ">=" | "<" | "<=" | "==" | "!=";

/**
 * Reads a statistic of a metric from the live snapshot; series matching `labels` are merged (summed
 * for counters and gauges, buckets merged for histograms).
 */
export interface AlertQuery {
  /**
   * @param metric - metric name
   * @param stat - `value` (counter/gauge), `rate` (per second over the window), `count`, `p50`/`p90`/`p99` (histograms)
   * @param labels - a subset of labels to match
   * @returns the figure, or undefined when there is no data
   */
  read(
    metric: string,
    stat: AlertStat,
    labels?: Readonly<Record<string, string>>,
  ): number | undefined;
}

/** A declarative alert condition: `stat(metric{labels}) op threshold`. */
export interface AlertExpression {
  /** Metric name. */
  readonly metric: string;
  /** Which figure to compare. */
  readonly stat: AlertStat;
  /** Label subset to match. @defaultValue all series */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Options of one alert rule (Prometheus semantics). */
export interface AlertRuleOptions {
  /** The `alertname`. */
  readonly name: string;
  /** What to measure: a declarative expression, or a function of the live snapshot. */
  readonly expr: AlertExpression | ((query: AlertQuery) => number | undefined);
  /** @defaultValue ">" */
  readonly op?: AlertOperator;
  /** The value compared against. */
  readonly threshold: number;
  /**
   * How long the condition must hold before pending turns firing, in milliseconds.
   * @defaultValue 0 (fires on the first evaluation that sees it)
   */
  readonly forMs?: number;
  /**
   * How long a firing alert keeps firing after its condition clears, in milliseconds.
   * @defaultValue 0
   */
  readonly keepFiringForMs?: number;
  /**
   * While firing, notify again every this many milliseconds.
   * @defaultValue 0 (once per transition)
   */
  readonly repeatIntervalMs?: number;
  /** Labels attached to every notification, e.g. `{ severity: "page" }`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations attached to every notification, e.g. `{ summary: "p99 above 100 ms" }`. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The states of an alert. */
export type AlertState = "inactive" | "pending" | "firing";

/** A notification: one per transition (plus re-notifications while firing). */
export interface AlertEvent {
  /** The rule's name. */
  readonly alertname: string;
  /** `pending`, `firing` or `resolved`. */
  readonly status: "pending" | "firing" | "resolved";
  /** The measured value at this evaluation (undefined without data). */
  readonly value: number | undefined;
  /** The threshold and operator, e.g. `> 0.1`. */
  readonly condition: string;
  /** The rule's labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** The rule's annotations. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Wall time (epoch ms) the condition first held in this episode. */
  readonly activeAt: number | undefined;
  /** Wall time of this evaluation. */
  readonly at: number;
  /** True for a repeated firing notification. */
  readonly repeat: boolean;
}

const KNOWN: readonly string[] = [
  "name",
  "expr",
  "op",
  "threshold",
  "forMs",
  "keepFiringForMs",
  "repeatIntervalMs",
  "labels",
  "annotations",
];
const OPERATORS: readonly AlertOperator[] = [">", ">=", "<", "<=", "==", "!="];
const STATS: readonly AlertStat[] = ["value", "rate", "count", "p50", "p90", "p99"];

function compare(value: number, op: AlertOperator, threshold: number): boolean {
  switch (op) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
    case "==":
      return value === threshold;
    case "!=":
      return value !== threshold;
  }
}

/**
 * One alert rule and its state machine: inactive → pending (condition true) → firing (true for
 * `forMs`) → resolved (false, for `keepFiringForMs` when set) → inactive.
 * @internal
 */
export class AlertRule {
  readonly name: string;
  readonly options: AlertRuleOptions;
  #state: AlertState = "inactive";
  #activeAt: number | undefined;
  #activeWall: number | undefined;
  #clearedAt: number | undefined;
  #lastNotified = 0;
  #lastValue: number | undefined;

  constructor(options: AlertRuleOptions) {
    const context = "PerformanceMonitor.alert()";
    if (typeof options !== "object" || options === null) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({ name: "rule", expected: "an object", got: options, context }),
      );
    }
    assertKnownKeys(options, KNOWN, context);
    if (typeof options.name !== "string" || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(options.name)) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({
          name: "name",
          expected: "an alert name like HighLatency",
          got: options.name,
          context,
        }),
      );
    }
    const expr = options.expr;
    if (typeof expr !== "function") {
      if (
        typeof expr !== "object" ||
        expr === null ||
        typeof expr.metric !== "string" ||
        !STATS.includes(expr.stat)
      ) {
        throw new PerflayerConfigError(
          "ERR_INVALID_OPTION",
          formatExpected({
            name: "expr",
            expected: `a function of the snapshot, or { metric, stat } with stat one of ${STATS.join(", ")}`,
            got: expr,
            fix: 'Pass e.g. { metric: "http_request_duration_seconds", stat: "p99" }.',
            context: `alert ${options.name}`,
          }),
        );
      }
    }
    if (options.op !== undefined && !OPERATORS.includes(options.op)) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({
          name: "op",
          expected: OPERATORS.join(" "),
          got: options.op,
          context: `alert ${options.name}`,
        }),
      );
    }
    assertNumber(options.threshold, { name: "threshold", context: `alert ${options.name}` });
    for (const key of ["forMs", "keepFiringForMs", "repeatIntervalMs"] as const) {
      if (options[key] !== undefined)
        assertNumber(options[key], { name: key, min: 0, context: `alert ${options.name}` });
    }
    this.name = options.name;
    this.options = options;
  }

  /** @returns the current state */
  get state(): AlertState {
    return this.#state;
  }

  /** @returns the value at the last evaluation */
  get lastValue(): number | undefined {
    return this.#lastValue;
  }

  /**
   * Evaluates the rule once.
   * @param query - reads the snapshot
   * @param now - monotonic time
   * @param wall - wall time
   * @returns the notifications this evaluation produces
   */
  evaluate(query: AlertQuery, now: number, wall: number): AlertEvent[] {
    const { expr, threshold } = this.options;
    const op = this.options.op ?? ">";
    const value =
      typeof expr === "function" ? expr(query) : query.read(expr.metric, expr.stat, expr.labels);
    this.#lastValue = value;
    const holds = value !== undefined && !Number.isNaN(value) && compare(value, op, threshold);
    const events: AlertEvent[] = [];
    const emit = (status: AlertEvent["status"], repeat = false): void => {
      events.push({
        alertname: this.name,
        status,
        value,
        condition: `${op} ${threshold}`,
        labels: this.options.labels ?? {},
        annotations: this.options.annotations ?? {},
        activeAt: this.#activeWall,
        at: wall,
        repeat,
      });
      this.#lastNotified = now;
    };
    const forMs = this.options.forMs ?? 0;
    const keepMs = this.options.keepFiringForMs ?? 0;
    switch (this.#state) {
      case "inactive":
        if (holds) {
          this.#activeAt = now;
          this.#activeWall = wall;
          if (forMs === 0) {
            this.#state = "firing";
            emit("firing");
          } else {
            this.#state = "pending";
            emit("pending");
          }
        }
        break;
      case "pending":
        if (!holds) {
          this.#state = "inactive";
          this.#activeAt = undefined;
          this.#activeWall = undefined;
        } else if (now - (this.#activeAt as number) >= forMs) {
          this.#state = "firing";
          emit("firing");
        }
        break;
      case "firing":
        if (holds) {
          this.#clearedAt = undefined;
          const repeatMs = this.options.repeatIntervalMs ?? 0;
          if (repeatMs > 0 && now - this.#lastNotified >= repeatMs) emit("firing", true);
        } else {
          this.#clearedAt ??= now;
          if (now - this.#clearedAt >= keepMs) {
            emit("resolved");
            this.#state = "inactive";
            this.#activeAt = undefined;
            this.#activeWall = undefined;
            this.#clearedAt = undefined;
          }
        }
        break;
    }
    return events;
  }
}
