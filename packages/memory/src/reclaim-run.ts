import { TimeoutError } from "@perflayer/core";
import type { Clock, CounterHandle, GaugeHandle, Reclaimer, Resizable } from "@perflayer/core";
import type { ReclaimPriority, ReclaimerOutcome } from "./memory-status.js";
import { planReclaim } from "./reclaim-plan.js";

/** A reclaimer registered with a `MemoryOptimizer`, with its metric handles and state. */
export interface Registration {
  readonly reclaimer: Reclaimer;
  readonly priority: ReclaimPriority;
  /** 0 for `low`, 1 `normal`, 2 `high`. */
  readonly rank: number;
  readonly order: number;
  readonly reclaimed: CounterHandle;
  readonly reclaimable: GaugeHandle;
  readonly inUse: GaugeHandle;
  /** Set when the optimizer steers this reclaimer's size. */
  readonly steer: { readonly resizable: Resizable; readonly minBytes: number } | undefined;
  readonly capacity: GaugeHandle | undefined;
  capacityBytes: number | undefined;
  /** It failed the last reclaim: skipped once. */
  skipNext: boolean;
}

/**
 * What a reclaimer could give back now (its `estimatedBytes()`), 0 when it throws or says nonsense.
 * @param reclaimer - the reclaimer
 * @returns bytes
 */
export function reclaimableBytes(reclaimer: Reclaimer): number {
  try {
    const bytes = reclaimer.estimatedBytes();
    return Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
  } catch {
    return 0;
  }
}

/**
 * What a reclaimer holds in use (its optional `inUseBytes()`), 0 when it has none or throws.
 * @param reclaimer - the reclaimer
 * @returns bytes
 */
export function inUseBytes(reclaimer: Reclaimer): number {
  try {
    const bytes = reclaimer.inUseBytes?.() ?? 0;
    return Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
  } catch {
    return 0;
  }
}

/** What {@link runReclaim} did. */
export interface ReclaimRun {
  /** The target, bounded by what the reclaimers could give. */
  readonly targetBytes: number;
  /** What the reclaimers could give when it began. */
  readonly reclaimableBytes: number;
  /** What they reported freeing. */
  readonly freedBytes: number;
  /** Each reclaimer asked (or skipped), in order. */
  readonly reclaimers: readonly ReclaimerOutcome[];
}

/**
 * Asks reclaimers for their shares of `targetBytes` (`planReclaim`: lowest priority first, in
 * proportion within a priority, bounded by what each holds); those holding nothing are not asked.
 * Each is time-boxed; one that throws or times out is counted, warned about and skipped next time.
 * @param registrations - the reclaimers to ask, in priority order
 * @param targetBytes - bytes wanted back
 * @param box - the clock and time box of one `reclaim()`, and where failures are told
 * @returns what was asked and given
 */
export async function runReclaim(
  registrations: readonly Registration[],
  targetBytes: number,
  box: {
    readonly clock: Clock;
    readonly timeoutMs: number;
    readonly warn: (message: string, reclaimer: string) => void;
  },
): Promise<ReclaimRun> {
  const candidates = registrations
    .map((registration) => ({ registration, held: reclaimableBytes(registration.reclaimer) }))
    .filter(({ registration, held }) => held > 0 || registration.skipNext);
  const reclaimable = candidates.reduce((sum, c) => sum + c.held, 0);
  const asks = planReclaim(
    targetBytes,
    candidates.map(({ registration, held }) => ({
      rank: registration.rank,
      bytes: registration.skipNext ? 0 : held,
    })),
  );
  const reclaimers: ReclaimerOutcome[] = [];
  let freed = 0;
  for (const [i, { registration, held }] of candidates.entries()) {
    const name = registration.reclaimer.name;
    const asked = Math.ceil(asks[i] as number);
    if (registration.skipNext) {
      registration.skipNext = false;
      reclaimers.push({ name, heldBytes: held, askedBytes: 0, bytes: 0, outcome: "skipped" });
      continue;
    }
    if (asked <= 0) continue;
    try {
      const bytes = await timeBoxed(registration.reclaimer, asked, box);
      const counted = Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
      freed += counted;
      registration.reclaimed.inc(counted);
      reclaimers.push({ name, heldBytes: held, askedBytes: asked, bytes: counted, outcome: "ok" });
    } catch (error) {
      registration.skipNext = true;
      const outcome = error instanceof TimeoutError ? "timeout" : "error";
      reclaimers.push({ name, heldBytes: held, askedBytes: asked, bytes: 0, outcome });
      box.warn(
        `MemoryOptimizer: reclaimer "${name}" failed (${outcome}): ${String(error)}; skipped on the next reclaim.`,
        name,
      );
    }
  }
  return {
    targetBytes: Math.min(targetBytes, reclaimable),
    reclaimableBytes: reclaimable,
    freedBytes: freed,
    reclaimers,
  };
}

function timeBoxed(
  reclaimer: Reclaimer,
  target: number,
  box: { readonly clock: Clock; readonly timeoutMs: number },
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = box.clock.setTimeout(
      () =>
        reject(
          new TimeoutError(
            `reclaimer "${reclaimer.name}" did not finish within ${box.timeoutMs} ms`,
            { timeoutMs: box.timeoutMs },
          ),
        ),
      box.timeoutMs,
      { ref: true }, // `reclaim()` is awaited (by callers and by the sampler): see core's TimerOptions
    );
    try {
      Promise.resolve(reclaimer.reclaim(target)).then(
        (bytes) => {
          timer.cancel();
          resolve(bytes);
        },
        (error: unknown) => {
          timer.cancel();
          reject(error);
        },
      );
    } catch (error) {
      timer.cancel();
      reject(error);
    }
  });
}
