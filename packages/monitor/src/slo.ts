import {
  PerflayerConfigError,
  assertKnownKeys,
  assertNumber,
  formatExpected,
} from "@perflayer/core";
import type { AlertRuleOptions } from "./alert-rule.js";

/** One multi-window burn-rate alert: fires when both windows burn faster than `burnRate`. */
export interface BurnRateWindow {
  /** The long window, e.g. 1 h. */
  readonly longMs: number;
  /** The short window that makes the alert reset quickly, e.g. 5 min. */
  readonly shortMs: number;
  /** Burn-rate threshold: 1 spends the budget exactly over the SLO period. */
  readonly burnRate: number;
  /** `severity` label of the alert. @defaultValue "page" */
  readonly severity?: string;
}

/** Options of a latency SLO. */
export interface SloOptions {
  /** Name, used for the alerts, e.g. `checkout_latency`. */
  readonly name: string;
  /** A histogram of durations in seconds. */
  readonly metric: string;
  /** Label subset of the histogram to count. @defaultValue all series */
  readonly labels?: Readonly<Record<string, string>>;
  /** Share of requests that must be fast enough, e.g. 0.99. */
  readonly objective: number;
  /** "Fast enough", in seconds; must be one of the histogram's bucket bounds (e.g. 0.1). */
  readonly thresholdSeconds: number;
  /**
   * Burn-rate alerts (Google SRE workbook defaults for a 30-day SLO).
   * @defaultValue `[{ longMs: 1 h, shortMs: 5 min, burnRate: 14.4 }, { longMs: 6 h, shortMs: 30 min, burnRate: 6 }]`
   */
  readonly windows?: readonly BurnRateWindow[];
  /** Annotations of the alerts. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** What an SLO reports. */
export interface SloStatus {
  /** The SLO's name. */
  readonly name: string;
  /** The objective, e.g. 0.99. */
  readonly objective: number;
  /** Good and total requests since the monitor started. */
  readonly good: number;
  /** Total requests since the monitor started. */
  readonly total: number;
  /** good / total (1 without traffic). */
  readonly compliance: number;
  /** Share of the error budget left since start: 1 − bad / (total × (1 − objective)), can go negative. */
  readonly errorBudgetRemaining: number;
  /** Burn rate per configured window (by `longMs` and `shortMs`), undefined without traffic. */
  readonly burnRates: Readonly<Record<string, number | undefined>>;
}

const DEFAULT_WINDOWS: readonly BurnRateWindow[] = [
  { longMs: 3_600_000, shortMs: 300_000, burnRate: 14.4, severity: "page" },
  { longMs: 21_600_000, shortMs: 1_800_000, burnRate: 6, severity: "page" },
];

const KNOWN: readonly string[] = [
  "name",
  "metric",
  "labels",
  "objective",
  "thresholdSeconds",
  "windows",
  "annotations",
];

function label(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

/**
 * A latency SLO with an error budget and multi-window burn-rate alerts. Good/total counts come
 * from a histogram's buckets, sampled at every alert evaluation.
 */
export class Slo {
  /** The validated options. */
  readonly options: SloOptions;
  readonly #windows: readonly BurnRateWindow[];
  readonly #read: () => { good: number; total: number };
  // Ring of samples (time, good, total), long enough for the longest window.
  readonly #times: Float64Array;
  readonly #good: Float64Array;
  readonly #total: Float64Array;
  #head = 0;
  #size = 0;

  /**
   * @internal
   * @param options - the SLO
   * @param read - cumulative good/total counts of the histogram
   * @param evaluationIntervalMs - how often samples are taken
   */
  constructor(
    options: SloOptions,
    read: () => { good: number; total: number },
    evaluationIntervalMs: number,
  ) {
    const context = "PerformanceMonitor.slo()";
    assertKnownKeys(options, KNOWN, context);
    if (typeof options.name !== "string" || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(options.name)) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        formatExpected({
          name: "name",
          expected: "a name like checkout_latency",
          got: options.name,
          context,
        }),
      );
    }
    assertNumber(options.objective, {
      name: "objective",
      min: 0,
      minExclusive: true,
      max: 0.999999,
      fix: "Pass e.g. { objective: 0.99 }.",
      context,
    });
    this.#windows = options.windows ?? DEFAULT_WINDOWS;
    for (const w of this.#windows) {
      assertNumber(w.longMs, { name: "windows[].longMs", min: 1, context });
      assertNumber(w.shortMs, { name: "windows[].shortMs", min: 1, max: w.longMs, context });
      assertNumber(w.burnRate, { name: "windows[].burnRate", min: 0, minExclusive: true, context });
    }
    this.options = options;
    this.#read = read;
    const longest = Math.max(...this.#windows.map((w) => w.longMs));
    const capacity = Math.ceil(longest / evaluationIntervalMs) + 2;
    this.#times = new Float64Array(capacity);
    this.#good = new Float64Array(capacity);
    this.#total = new Float64Array(capacity);
  }

  /** @internal Records the cumulative counts at `now`. */
  sample(now: number): void {
    const { good, total } = this.#read();
    this.#times[this.#head] = now;
    this.#good[this.#head] = good;
    this.#total[this.#head] = total;
    this.#head = (this.#head + 1) % this.#times.length;
    this.#size = Math.min(this.#size + 1, this.#times.length);
  }

  /**
   * The burn rate over the last `windowMs` (using the oldest sample when history is shorter).
   * @param windowMs - the window
   * @returns bad share divided by the error budget share, or undefined without traffic
   */
  burnRate(windowMs: number): number | undefined {
    if (this.#size < 2) return undefined;
    const capacity = this.#times.length;
    const newest = (this.#head - 1 + capacity) % capacity;
    const now = this.#times[newest] as number;
    let start = newest;
    for (let i = 1; i < this.#size; i++) {
      const index = (newest - i + capacity) % capacity;
      if (now - (this.#times[index] as number) > windowMs) break;
      start = index;
    }
    if (start === newest) start = (newest - 1 + capacity) % capacity;
    const total = (this.#total[newest] as number) - (this.#total[start] as number);
    if (total <= 0) return undefined;
    const bad = total - ((this.#good[newest] as number) - (this.#good[start] as number));
    return bad / total / (1 - this.options.objective);
  }

  /** @returns compliance, error budget and burn rates */
  status(): SloStatus {
    const { good, total } = this.#read();
    const bad = total - good;
    const burnRates: Record<string, number | undefined> = {};
    for (const w of this.#windows) {
      burnRates[label(w.longMs)] = this.burnRate(w.longMs);
      burnRates[label(w.shortMs)] = this.burnRate(w.shortMs);
    }
    return {
      name: this.options.name,
      objective: this.options.objective,
      good,
      total,
      compliance: total === 0 ? 1 : good / total,
      errorBudgetRemaining: total === 0 ? 1 : 1 - bad / (total * (1 - this.options.objective)),
      burnRates,
    };
  }

  /** @internal The burn-rate alert rules, built on the monitor's ordinary alert rules. */
  rules(): AlertRuleOptions[] {
    return this.#windows.map((w) => ({
      name: `${this.options.name}_burn_rate_${label(w.longMs)}`,
      expr: (): number | undefined => {
        const long = this.burnRate(w.longMs);
        const short = this.burnRate(w.shortMs);
        return long === undefined || short === undefined ? undefined : Math.min(long, short);
      },
      op: ">",
      threshold: w.burnRate,
      labels: { severity: w.severity ?? "page", slo: this.options.name },
      annotations: {
        summary: `${this.options.name}: error budget burning faster than ${w.burnRate}x over ${label(w.longMs)} and ${label(w.shortMs)}`,
        ...this.options.annotations,
      },
    }));
  }
}
