import type { Clock, TimerHandle } from "@perflayer/core";

/** Settings of a {@link CircuitBreaker}. */
export interface CircuitBreakerInit {
  /** Consecutive failures that open it. */
  readonly threshold: number;
  /** Pause between probes while open, in ms. */
  readonly cooldownMs: number;
  /** Time source. */
  readonly clock: Clock;
  /** Checks the service (and catches up on what was missed); resolves true when it may close. */
  readonly probe: () => Promise<boolean>;
  /** Told when the state changes. */
  readonly onChange: (open: boolean) => void;
}

/**
 * Opens after `threshold` consecutive failures; while open, callers skip the service and one
 * unref'd timer probes it every `cooldownMs`; the first successful probe closes it.
 */
export class CircuitBreaker {
  readonly #init: CircuitBreakerInit;
  #failures = 0;
  #open = false;
  #timer: TimerHandle | undefined;
  #stopped = false;

  /** @param init - threshold, cooldown, clock, probe and change listener */
  constructor(init: CircuitBreakerInit) {
    this.#init = init;
  }

  /** @returns whether calls should skip the service */
  get open(): boolean {
    return this.#open;
  }

  /** A call succeeded. */
  success(): void {
    this.#failures = 0;
  }

  /** A call failed: counts toward the threshold. */
  failure(): void {
    if (++this.#failures >= this.#init.threshold) this.trip();
  }

  /** Opens now (e.g. the connection is known lost) and starts probing. */
  trip(): void {
    if (this.#open || this.#stopped) return;
    this.#open = true;
    this.#init.onChange(true);
    this.#schedule();
  }

  /** Stops probing for good. */
  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
  }

  #schedule(): void {
    this.#timer = this.#init.clock.setTimeout(() => void this.#probe(), this.#init.cooldownMs);
  }

  async #probe(): Promise<void> {
    if (this.#stopped) return;
    let healthy = false;
    try {
      healthy = await this.#init.probe();
    } catch {
      healthy = false;
    }
    if (this.#stopped) return;
    if (!healthy) {
      this.#schedule();
      return;
    }
    this.#failures = 0;
    this.#open = false;
    this.#init.onChange(false);
  }
}
