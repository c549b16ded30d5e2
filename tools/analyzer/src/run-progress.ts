import { systemClock } from "@perflayer/core";
import type { Clock } from "@perflayer/core";
import type { CliIo } from "@perflayer/toolkit";

/** Options of {@link RunProgress}. */
export interface RunProgressOptions {
  /** Print nothing (neither progress nor the closing line). @defaultValue false */
  readonly quiet?: boolean;
  /** Where time comes from (tests pass a `ManualClock`). @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** Without a terminal, one progress line per this many milliseconds. @defaultValue 10_000 */
  readonly intervalMs?: number;
}

/** Counts for the closing line. */
export interface RunSummary {
  /** Files analysed (parsed or from the cache). */
  readonly files: number;
  /** Parsed in this run. */
  readonly parsed: number;
  /** Served from the cache. */
  readonly cached: number;
  /** Left out, with reasons in the report. */
  readonly skipped: number;
}

const LIVE_INTERVAL_MS = 100;

/**
 * Progress of a long run on stderr: on a terminal a live line (`analysing 412/936 files…
 * src/x.ts`); otherwise, so that CI logs show the run is alive, one line every ten seconds
 * (`perflayer-analyze: analysed 412/936 files…`); and a closing timing line. `quiet` silences
 * all of it. Driven by the run's own calls: no timers.
 */
export class RunProgress {
  readonly #io: CliIo;
  readonly #clock: Clock;
  readonly #quiet: boolean;
  readonly #live: boolean;
  readonly #intervalMs: number;
  readonly #started: number;
  #lastShown: number;
  #shownLive = false;

  /**
   * @param io - the CLI's streams (`stderr.isTTY` picks the live line)
   * @param options - quiet, clock, interval
   */
  constructor(io: CliIo, options: RunProgressOptions = {}) {
    this.#io = io;
    this.#clock = options.clock ?? systemClock;
    this.#quiet = options.quiet === true;
    this.#live = io.stderr.isTTY === true;
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#started = this.#clock.now();
    this.#lastShown = this.#started;
  }

  /**
   * Reports that `done` of `total` files are processed.
   * @param done - files done
   * @param total - files in all
   * @param file - the file being processed
   */
  update(done: number, total: number, file = ""): void {
    if (this.#quiet || done >= total) return;
    const now = this.#clock.now();
    if (this.#live) {
      if (this.#shownLive && now - this.#lastShown < LIVE_INTERVAL_MS) return;
      this.#lastShown = now;
      this.#shownLive = true;
      this.#io.stderr.write(`\r\u001b[2Kanalysing ${done}/${total} files… ${file.slice(-60)}`);
      return;
    }
    if (now - this.#lastShown < this.#intervalMs) return;
    this.#lastShown = now;
    this.#io.stderr.write(`perflayer-analyze: analysed ${done}/${total} files…\n`);
  }

  /**
   * Clears the live line and prints the closing timing line.
   * @param summary - what the run did
   */
  finish(summary: RunSummary): void {
    if (this.#quiet) return;
    if (this.#shownLive) this.#io.stderr.write("\r\u001b[2K");
    const seconds = (this.#clock.now() - this.#started) / 1000;
    this.#io.stderr.write(
      `perflayer-analyze: ${summary.files} file${summary.files === 1 ? "" : "s"} in ${seconds.toFixed(1)} s (${summary.parsed} parsed, ${summary.cached} from cache); ${summary.skipped} skipped\n`,
    );
  }
}
