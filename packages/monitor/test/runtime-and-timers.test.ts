import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createHistogram } from "node:perf_hooks";
import client from "prom-client";
import { describe, expect, it } from "vitest";
import { ManualClock, PerflayerConfigError, TimeoutError } from "@perflayer/core";
import { PerformanceMonitor, callbackSink, webhookSink } from "@perflayer/monitor";
import { EventLoopDelaySummary, recordDelaySample } from "../src/runtime-metrics.ts";
import { promtoolCheck } from "./promtool.ts";

const THIRTY_DAYS = 30 * 86_400_000;
/** Window and evaluation timers far apart, so advancing 30 days does not run them millions of times. */
const QUIET = { windowMs: 100 * THIRTY_DAYS, evaluationIntervalMs: 100 * THIRTY_DAYS };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The value of one sample line of an exposition, e.g. `name{quantile="0.5"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Opens delay samples on a manual clock until one has seen event-loop turns (bounded). */
async function sampled(
  monitor: PerformanceMonitor,
  clock: ManualClock,
  sampleMs: number,
  everyMs: number,
): Promise<string> {
  let text = "";
  for (let attempt = 0; attempt < 40; attempt++) {
    await sleep(60); // real event-loop turns while the sample is open
    clock.advance(sampleMs); // closes it
    text = await monitor.metrics();
    if (text.includes('nodejs_eventloop_delay_seconds{quantile="0.5"}')) return text;
    clock.advance(everyMs - sampleMs); // opens the next
  }
  return text;
}

describe("runtime metrics", () => {
  it(
    "P0 «runtime metrics pass promtool check metrics»: report utilisation on scrape and event-loop delay sampled on a duty cycle as a summary-typed family",
    { tags: ["p0"] },
    async () => {
      const clock = new ManualClock();
      const monitor = new PerformanceMonitor({ clock });
      monitor.enableRuntimeMetrics({
        eventLoopDelay: { sampleMs: 50, everyMs: 1_000, resolutionMs: 10 },
      });
      const text = await sampled(monitor, clock, 50, 1_000);
      await monitor.close();
      expect(text).toMatch(/nodejs_eventloop_utilization_ratio \d/); // computed on scrape
      expect(text).toContain("# TYPE nodejs_eventloop_delay_seconds summary\n");
      for (const quantile of ["0.5", "0.99", "1"])
        expect(
          sample(text, `nodejs_eventloop_delay_seconds{quantile="${quantile}"}`),
        ).toBeGreaterThanOrEqual(0);
      expect(sample(text, "nodejs_eventloop_delay_seconds_count")).toBeGreaterThan(0);
      expect(sample(text, "nodejs_eventloop_delay_seconds_sum")).toBeGreaterThanOrEqual(0);
      const lint = promtoolCheck(text);
      if (lint !== undefined) expect(lint).toEqual({ output: "", status: 0 });
    },
  );

  it("reports the delay beyond the sampler's resolution, not the tick interval (recorded ticks)", async () => {
    const registry = new client.Registry();
    const summary = new EventLoopDelaySummary({
      name: "d_seconds",
      help: "d",
      registers: [registry],
    });
    const ticks = createHistogram();
    for (let i = 0; i < 98; i++) ticks.record(20_400_000); // a 20 ms tick + 0.4 ms delay
    ticks.record(31_000_000); // one 11 ms stall
    ticks.record(19_000_000); // one early tick
    recordDelaySample(summary, ticks, 20);
    recordDelaySample(summary, createHistogram(), 20); // an empty sample changes nothing
    let text = await registry.metrics();
    // Node's histograms keep 3 significant digits: a 20 ms tick is known to within 20 µs (5e-5 s).
    expect(sample(text, 'd_seconds{quantile="0.5"}')).toBeCloseTo(0.0004, 4);
    expect(sample(text, 'd_seconds{quantile="1"}')).toBeCloseTo(0.011, 4);
    expect(sample(text, "d_seconds_count")).toBe(100);
    // mean tick 20.492 ms less the 20 ms resolution, times 100 ticks (±100 × 20 µs)
    const sum = sample(text, "d_seconds_sum") ?? Number.NaN;
    expect(Math.abs(sum - 0.0492)).toBeLessThan(0.002);

    const early = createHistogram();
    for (let i = 0; i < 10; i++) early.record(19_000_000); // ticks inside the resolution: no delay
    recordDelaySample(summary, early, 20);
    text = await registry.metrics();
    expect(sample(text, 'd_seconds{quantile="0.99"}')).toBe(0); // never negative
    expect(sample(text, "d_seconds_count")).toBe(110);
    expect(sample(text, "d_seconds_sum")).toBe(sum);
  });

  it("samples event-loop delay for a 30-day sampleMs out of every 60 days", async () => {
    const clock = new ManualClock();
    const monitor = new PerformanceMonitor({ clock, ...QUIET });
    monitor.enableRuntimeMetrics({
      eventLoopDelay: { sampleMs: THIRTY_DAYS, everyMs: 2 * THIRTY_DAYS },
    });
    await sleep(60);
    clock.advance(THIRTY_DAYS - 1);
    expect(await monitor.metrics()).not.toContain("quantile=");
    const text = await sampled(monitor, clock, 1, 2 * THIRTY_DAYS);
    expect(text).toContain('nodejs_eventloop_delay_seconds{quantile="0.5"}');
    await monitor.close();
  });

  it.each([
    [
      { eventLoopDelay: { sampleMs: 0 } },
      "Expected `eventLoopDelay.sampleMs` to be a finite number >= 1, got `0` (number)",
    ],
    [
      { eventLoopDelay: { sampleMs: 100, everyMs: 50 } },
      "Expected `eventLoopDelay.everyMs` to be a finite number >= 100",
    ],
    [
      { eventLoopDelay: { resolutionMs: 0.5 } },
      "Expected `eventLoopDelay.resolutionMs` to be an integer >= 1 and <= 1000",
    ],
    [
      { eventLoopDelay: { sampleMs: 10, resolutionMs: 20 } },
      "Expected `eventLoopDelay.resolutionMs` to be an integer >= 1 and <= 10",
    ],
    [{ eventLoopDelay: { sample: 1 } }, "Unknown option `sample`"],
  ])("rejects runtime option %j in the house formula", (options, message) => {
    const monitor = new PerformanceMonitor({ clock: new ManualClock() });
    expect(() => monitor.enableRuntimeMetrics(options as never)).toThrow(PerflayerConfigError);
    expect(() => monitor.enableRuntimeMetrics(options as never)).toThrow(message);
  });
});

describe("30-day intervals, on the manual clock", () => {
  it("evaluates alert rules every 30 days with evaluationIntervalMs of 30 days", async () => {
    const clock = new ManualClock();
    let evaluations = 0;
    const monitor = new PerformanceMonitor({
      clock,
      windowMs: QUIET.windowMs,
      evaluationIntervalMs: THIRTY_DAYS,
    });
    monitor.alert({ name: "Counted", expr: () => ++evaluations, threshold: 1e9 });
    await clock.advanceAsync(THIRTY_DAYS - 1);
    expect(evaluations).toBe(0);
    await clock.advanceAsync(1);
    expect(evaluations).toBe(1);
    await monitor.close();
  });

  it("holds an alert pending for a 30-day forMs, keeps it firing for a 30-day keepFiringForMs and repeats every 30 days", async () => {
    const clock = new ManualClock();
    const statuses: string[] = [];
    const monitor = new PerformanceMonitor({
      clock,
      ...QUIET,
      sinks: [callbackSink((e) => void statuses.push(`${e.status}${e.repeat ? "+" : ""}`))],
    });
    let value = 1;
    monitor.alert({
      name: "Long",
      expr: () => value,
      threshold: 0,
      forMs: THIRTY_DAYS,
      keepFiringForMs: THIRTY_DAYS,
      repeatIntervalMs: THIRTY_DAYS,
    });
    const at = async (ms: number): Promise<void> => {
      clock.advance(ms);
      await monitor.evaluate();
    };
    await at(0);
    await at(THIRTY_DAYS - 1);
    expect(statuses).toEqual(["pending"]);
    await at(1);
    await at(THIRTY_DAYS - 1);
    expect(statuses).toEqual(["pending", "firing"]);
    await at(1);
    expect(statuses).toEqual(["pending", "firing", "firing+"]);
    value = 0;
    await at(0);
    await at(THIRTY_DAYS - 1);
    expect(monitor.alerts()["Long"]?.state).toBe("firing");
    await at(1);
    expect(statuses.at(-1)).toBe("resolved");
    await monitor.close();
  });

  it("slides a 30-day windowMs: an observation leaves the window after 30 days", async () => {
    const clock = new ManualClock();
    const monitor = new PerformanceMonitor({
      clock,
      windowMs: THIRTY_DAYS,
      evaluationIntervalMs: QUIET.evaluationIntervalMs,
    });
    const latency = monitor.histogram({ name: "op_seconds", help: "Op." });
    latency.observe(0.1);
    const windowCount = (): number | undefined => {
      const metric = monitor.snapshot().metrics["op_seconds"];
      return metric?.type === "histogram" ? metric.series[0]?.window.count : undefined;
    };
    clock.advance(THIRTY_DAYS - 1);
    expect(windowCount()).toBe(1);
    clock.advance(1);
    expect(windowCount()).toBe(0);
    await monitor.close();
  });

  it("expires series idle for a 30-day seriesTtlMs (removed at the second check)", async () => {
    const clock = new ManualClock();
    const monitor = new PerformanceMonitor({
      clock,
      seriesTtlMs: THIRTY_DAYS,
      ...QUIET,
    });
    monitor.gauge({ name: "jobs", help: "Jobs.", labelNames: ["queue"] }).set({ queue: "a" }, 1);
    clock.advance(2 * THIRTY_DAYS - 1);
    expect(await monitor.metrics()).toContain('jobs{queue="a"} 1');
    clock.advance(1);
    expect(await monitor.metrics()).not.toContain('jobs{queue="a"}');
    await monitor.close();
  });

  it("times a webhook out after a 30-day timeoutMs, through its clock, and keeps the process alive meanwhile", async () => {
    const server = createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const clock = new ManualClock();
    const sink = webhookSink({
      url: `http://127.0.0.1:${port}/hook`,
      timeoutMs: THIRTY_DAYS,
      clock,
    });
    try {
      let outcome: unknown;
      const delivery = Promise.resolve(
        sink.notify({
          alertname: "Slow",
          status: "firing",
          value: 1,
          condition: "> 0",
          labels: {},
          annotations: {},
          activeAt: 0,
          at: 0,
          repeat: false,
        }),
      ).catch((error: unknown) => (outcome = error));
      await sleep(50); // the request reaches the server
      expect(clock.refTimers).toBe(1);
      clock.advance(THIRTY_DAYS - 1);
      await sleep(10);
      expect(outcome).toBeUndefined();
      clock.advance(1);
      await delivery;
      expect(outcome).toBeInstanceOf(TimeoutError);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("keeps its housekeeping timers unref'd", async () => {
    const clock = new ManualClock();
    const monitor = new PerformanceMonitor({ clock, seriesTtlMs: 1_000 });
    monitor.enableRuntimeMetrics({
      eventLoopDelay: { sampleMs: 10, everyMs: 100, resolutionMs: 10 },
    });
    expect(clock.pendingTimers).toBe(5); // rotation, evaluation, expiry, delay sample and its stop
    expect(clock.refTimers).toBe(0);
    await monitor.close();
  });
});

describe("repeated warnings", () => {
  it("rate-limits 2,000 failing sink notifications to one warning, then a summary with the count", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      const clock = new ManualClock();
      const monitor = new PerformanceMonitor({
        clock,
        sinks: [
          callbackSink(() => {
            throw new Error("ECONNREFUSED");
          }, "pager"),
        ],
      });
      monitor.alert({ name: "Always", expr: () => 1, threshold: 0, repeatIntervalMs: 1 });
      for (let i = 0; i < 2_000; i++) {
        clock.advance(1);
        await monitor.evaluate();
      }
      await sleep(0);
      expect(warnings).toEqual(["alert sink pager failed for Always firing: Error: ECONNREFUSED"]);
      await monitor.close();
      await sleep(0);
      expect(warnings[1]).toBe(
        "1999 more warnings like this were suppressed (at most one a 60 s); the last: alert sink pager failed for Always firing: Error: ECONNREFUSED",
      );
      expect(
        (await monitor.metrics()).includes(
          'perflayer_monitor_alert_notifications_total{sink="pager",outcome="error"} 2000',
        ),
      ).toBe(true);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
