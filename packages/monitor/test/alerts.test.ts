import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ManualClock, PerflayerConfigError } from "@perflayer/core";
import { PerformanceMonitor, callbackSink, loggerSink, webhookSink } from "@perflayer/monitor";
import type { AlertEvent } from "@perflayer/monitor";

function setup(options: { evaluationIntervalMs?: number } = {}) {
  const clock = new ManualClock();
  const events: AlertEvent[] = [];
  const monitor = new PerformanceMonitor({
    clock,
    evaluationIntervalMs: options.evaluationIntervalMs ?? 1_000,
    sinks: [callbackSink((e) => void events.push(e))],
  });
  const queue = monitor.gauge({ name: "queue_depth", help: "Depth." });
  return { clock, events, monitor, queue };
}

describe("alert rules", () => {
  it(
    "P0 «alert rules with Prometheus semantics»: goes pending, fires after `for`, and resolves: one notification per transition",
    { tags: ["p0"] },
    async () => {
      const { clock, events, monitor, queue } = setup();
      monitor.alert({
        name: "QueueBacklog",
        expr: { metric: "queue_depth", stat: "value" },
        threshold: 100,
        forMs: 3_000,
        labels: { severity: "page" },
      });
      queue.set(150);
      await monitor.evaluate();
      expect(events.map((e) => e.status)).toEqual(["pending"]);
      clock.advance(2_000);
      await monitor.evaluate();
      expect(events).toHaveLength(1);
      clock.advance(1_000);
      await monitor.evaluate();
      expect(events.map((e) => e.status)).toEqual(["pending", "firing"]);
      expect(events[1]).toMatchObject({
        alertname: "QueueBacklog",
        value: 150,
        condition: "> 100",
        labels: { severity: "page" },
        repeat: false,
      });
      await monitor.evaluate();
      expect(events).toHaveLength(2);
      queue.set(10);
      await monitor.evaluate();
      expect(events.map((e) => e.status)).toEqual(["pending", "firing", "resolved"]);
      expect(monitor.alerts()["QueueBacklog"]?.state).toBe("inactive");
    },
  );

  it("drops a pending alert silently when the condition clears before `for` (no flapping)", async () => {
    const { events, monitor, queue } = setup();
    monitor.alert({
      name: "Blip",
      expr: { metric: "queue_depth", stat: "value" },
      threshold: 100,
      forMs: 5_000,
    });
    for (let i = 0; i < 5; i++) {
      queue.set(i % 2 === 0 ? 200 : 0);
      await monitor.evaluate();
    }
    expect(events.every((e) => e.status === "pending")).toBe(true);
    expect(events.some((e) => e.status === "firing")).toBe(false);
  });

  it(
    "P0 «keep_firing_for»: keeps firing for keepFiringForMs after the condition clears, and re-notifies on repeatIntervalMs",
    { tags: ["p0"] },
    async () => {
      const { clock, events, monitor, queue } = setup();
      monitor.alert({
        name: "Sticky",
        expr: { metric: "queue_depth", stat: "value" },
        threshold: 10,
        keepFiringForMs: 5_000,
        repeatIntervalMs: 4_000,
      });
      queue.set(50);
      await monitor.evaluate();
      clock.advance(4_000);
      await monitor.evaluate();
      expect(events.map((e) => [e.status, e.repeat])).toEqual([
        ["firing", false],
        ["firing", true],
      ]);
      queue.set(0);
      clock.advance(1_000);
      await monitor.evaluate();
      clock.advance(3_000);
      await monitor.evaluate();
      expect(monitor.alerts()["Sticky"]?.state).toBe("firing");
      queue.set(50); // comes back while kept firing: the clear timer restarts
      clock.advance(1_000);
      await monitor.evaluate();
      queue.set(0);
      clock.advance(1_000);
      await monitor.evaluate();
      clock.advance(4_999);
      await monitor.evaluate();
      expect(monitor.alerts()["Sticky"]?.state).toBe("firing");
      clock.advance(1);
      await monitor.evaluate();
      expect(events.at(-1)?.status).toBe("resolved");
    },
  );

  it("evaluates on the injected clock and keeps an ALERTS gauge like Prometheus", async () => {
    const { clock, monitor, queue } = setup({ evaluationIntervalMs: 1_000 });
    monitor.alert({
      name: "Deep",
      expr: { metric: "queue_depth", stat: "value" },
      threshold: 5,
      forMs: 2_000,
    });
    queue.set(9);
    await clock.advanceAsync(1_000);
    let text = await monitor.metrics();
    expect(text).toContain('ALERTS{alertname="Deep",alertstate="pending"} 1');
    await clock.advanceAsync(2_000);
    text = await monitor.metrics();
    expect(text).toContain('ALERTS{alertname="Deep",alertstate="firing"} 1');
    expect(text).not.toContain('alertstate="pending"');
    queue.set(0);
    await clock.advanceAsync(1_000);
    expect(await monitor.metrics()).not.toContain('ALERTS{alertname="Deep"');
  });

  it("alerts on histogram percentiles and counter rates over the window", async () => {
    const clock = new ManualClock();
    const events: AlertEvent[] = [];
    const monitor = new PerformanceMonitor({
      clock,
      windowMs: 10_000,
      windowSlots: 5,
      sinks: [callbackSink((e) => void events.push(e))],
    });
    const latency = monitor.histogram({
      name: "req_seconds",
      help: "r",
      labelNames: ["route"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1],
    });
    const errors = monitor.counter({ name: "errors_total", help: "e" });
    monitor.alert({
      name: "SlowUsers",
      expr: { metric: "req_seconds", stat: "p99", labels: { route: "/users" } },
      threshold: 0.2,
    });
    monitor.alert({
      name: "ErrorRate",
      expr: { metric: "errors_total", stat: "rate" },
      threshold: 1,
    });
    clock.advance(10_000); // a full window of history
    for (let i = 0; i < 100; i++) latency.observe({ route: "/users" }, i < 95 ? 0.04 : 0.4);
    for (let i = 0; i < 100; i++) latency.observe({ route: "/health" }, 0.9);
    errors.inc(30); // 30 errors within a ~10 s window: ~3/s
    await monitor.evaluate();
    expect(events.map((e) => e.alertname).sort()).toEqual(["ErrorRate", "SlowUsers"]);
    const slow = events.find((e) => e.alertname === "SlowUsers");
    expect(slow?.value).toBeGreaterThan(0.25);
    expect(slow?.value).toBeLessThanOrEqual(0.5);
    // The window slides: old observations and increments leave it.
    clock.advance(12_000);
    await monitor.evaluate();
    expect(monitor.alerts()["SlowUsers"]?.value).toBeUndefined();
    expect(monitor.alerts()["ErrorRate"]?.value).toBe(0);
  });

  it("keeps evaluating and notifying other sinks when one sink fails, and counts the failure", async () => {
    const clock = new ManualClock();
    const delivered: string[] = [];
    const monitor = new PerformanceMonitor({
      clock,
      sinks: [
        { name: "broken", notify: () => Promise.reject(new Error("smtp down")) },
        {
          name: "throws",
          notify: () => {
            throw new Error("sync boom");
          },
        },
        callbackSink((e) => void delivered.push(e.alertname), "ok"),
      ],
    });
    monitor.gauge({ name: "g", help: "g" }).set(1);
    monitor.alert({ name: "A", expr: { metric: "g", stat: "value" }, threshold: 0 });
    monitor.alert({
      name: "Broken",
      expr: () => {
        throw new Error("bad expr");
      },
      threshold: 0,
    });
    await monitor.evaluate();
    expect(delivered).toEqual(["A"]);
    const notifications = monitor.counter({
      name: "perflayer_monitor_alert_notifications_total",
      help: "x",
      labelNames: ["sink", "outcome"],
    });
    expect(notifications.get({ sink: "broken", outcome: "error" })).toBe(1);
    expect(notifications.get({ sink: "throws", outcome: "error" })).toBe(1);
    expect(notifications.get({ sink: "ok", outcome: "ok" })).toBe(1);
    const failures = monitor.counter({
      name: "perflayer_monitor_rule_evaluation_failures_total",
      help: "x",
      labelNames: ["alertname"],
    });
    expect(failures.get({ alertname: "Broken" })).toBe(1);
  });

  it("POSTs notifications as JSON to a webhook on 127.0.0.1 and counts a non-2xx answer", async () => {
    const received: unknown[] = [];
    let status = 200;
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push({
          method: req.method,
          type: req.headers["content-type"],
          body: JSON.parse(body) as unknown,
        });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const clock = new ManualClock();
      const monitor = new PerformanceMonitor({ clock, sinks: [webhookSink({ url, clock })] });
      const g = monitor.gauge({ name: "g", help: "g" });
      g.set(5);
      monitor.alert({
        name: "Hook",
        expr: { metric: "g", stat: "value" },
        threshold: 1,
        annotations: { summary: "g is high" },
      });
      await monitor.evaluate();
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({
        method: "POST",
        type: "application/json",
        body: {
          status: "firing",
          alerts: [{ alertname: "Hook", value: 5, annotations: { summary: "g is high" } }],
        },
      });
      status = 500;
      g.set(0);
      await monitor.evaluate();
      const notifications = monitor.counter({
        name: "perflayer_monitor_alert_notifications_total",
        help: "x",
        labelNames: ["sink", "outcome"],
      });
      expect(notifications.get({ sink: "webhook", outcome: "error" })).toBe(1);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("logs transitions through a logger sink", async () => {
    const lines: string[] = [];
    const logger = {
      warn: (m: string) => void lines.push(`warn ${m}`),
      info: (m: string) => void lines.push(`info ${m}`),
    };
    const monitor = new PerformanceMonitor({
      clock: new ManualClock(),
      sinks: [loggerSink(logger)],
    });
    monitor.gauge({ name: "g", help: "g" }).set(2);
    monitor.alert({ name: "Logged", expr: { metric: "g", stat: "value" }, threshold: 1 });
    await monitor.evaluate();
    expect(lines).toEqual(["warn [alert] Logged firing: value 2 > 1"]);
  });

  it("rejects invalid rules in the house formula", () => {
    const { monitor } = setup();
    expect(() =>
      monitor.alert({ name: "bad name", expr: { metric: "x", stat: "value" }, threshold: 1 }),
    ).toThrow(PerflayerConfigError);
    expect(() =>
      monitor.alert({ name: "A", expr: { metric: "x", stat: "p42" as never }, threshold: 1 }),
    ).toThrow("Expected `expr` to be a function of the snapshot");
    expect(() =>
      monitor.alert({ name: "A", expr: { metric: "x", stat: "value" }, threshold: Number.NaN }),
    ).toThrow("Expected `threshold` to be a finite number");
    expect(() =>
      monitor.alert({ name: "A", expr: { metric: "x", stat: "value" }, threshold: 1, forMs: -5 }),
    ).toThrow("Expected `forMs` to be a finite number >= 0");
    expect(() =>
      monitor.alert({
        name: "A",
        expr: { metric: "x", stat: "value" },
        threshold: 1,
        fors: 5,
      } as never),
    ).toThrow("Unknown option `fors`");
  });
});
