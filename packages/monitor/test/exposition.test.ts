import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import { PerformanceMonitor } from "@perflayer/monitor";

/**
 * A strict reader of the Prometheus text format (0.0.4): returns every problem it finds. It is
 * the fallback when promtool is not installed, so the exposition is always checked.
 */
function expositionProblems(text: string): string[] {
  const problems: string[] = [];
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const seen = new Set<string>();
  const buckets = new Map<string, { le: number; value: number }[]>();
  const counts = new Map<string, number>();
  const familyOf = (sample: string): string | undefined => {
    if (types.has(sample)) return sample;
    const base = sample.replace(/_(bucket|sum|count)$/, "");
    return types.get(base) === "histogram" || types.get(base) === "summary" ? base : undefined;
  };
  if (!text.endsWith("\n")) problems.push("the exposition does not end with a newline");
  for (const [i, line] of text.split("\n").entries()) {
    if (line === "") continue;
    const at = `line ${i + 1}`;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta !== null) {
      const [, kind, metric = "", rest = ""] = meta;
      if (!name.test(metric)) problems.push(`${at}: bad metric name ${metric}`);
      if (kind === "TYPE") {
        if (types.has(metric)) problems.push(`${at}: second TYPE for ${metric}`);
        if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(rest))
          problems.push(`${at}: unknown type ${rest}`);
        types.set(metric, rest);
      } else {
        if (helps.has(metric)) problems.push(`${at}: second HELP for ${metric}`);
        if (rest.replace(/\\[\\n]/g, "").includes("\\")) problems.push(`${at}: bad escape in HELP`);
        helps.add(metric);
      }
      continue;
    }
    if (line.startsWith("#")) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/.exec(line);
    if (sample === null) {
      problems.push(`${at}: not a sample: ${line}`);
      continue;
    }
    const [, metric = "", labelText = "", raw = ""] = sample;
    const family = familyOf(metric);
    if (family === undefined) problems.push(`${at}: ${metric} has no TYPE before it`);
    if (family !== undefined && types.get(family) === "counter" && !metric.endsWith("_total"))
      problems.push(`${at}: counter ${metric} does not end in _total`);
    const value = raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw);
    if (raw !== "NaN" && Number.isNaN(value)) problems.push(`${at}: bad value ${raw}`);
    const labels = new Map<string, string>();
    const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
    let rest = labelText;
    while (rest.length > 0) {
      labelRe.lastIndex = 0;
      const m = labelRe.exec(rest);
      if (m === null) {
        problems.push(`${at}: bad labels {${labelText}}`);
        break;
      }
      if (labels.has(m[1] as string)) problems.push(`${at}: label ${m[1]} twice`);
      labels.set(m[1] as string, m[2] as string);
      rest = rest.slice(m[0].length);
    }
    const series = `${metric}{${[...labels].sort().join(",")}}`;
    if (seen.has(series)) problems.push(`${at}: duplicate series ${series}`);
    seen.add(series);
    if (family !== undefined && types.get(family) === "histogram") {
      const others = [...labels].filter(([k]) => k !== "le").sort();
      const key = `${family}{${others.join(",")}}`;
      if (metric.endsWith("_bucket")) {
        const le = labels.get("le");
        if (le === undefined) problems.push(`${at}: bucket without le`);
        else
          buckets.set(key, [
            ...(buckets.get(key) ?? []),
            { le: le === "+Inf" ? Infinity : Number(le), value },
          ]);
      } else if (metric.endsWith("_count")) counts.set(key, value);
    }
  }
  for (const [key, list] of buckets) {
    for (let j = 1; j < list.length; j++) {
      const [prev, cur] = [list[j - 1], list[j]] as [(typeof list)[0], (typeof list)[0]];
      if (!(cur.le > prev.le)) problems.push(`${key}: buckets not in ascending le order`);
      if (cur.value < prev.value) problems.push(`${key}: bucket counts decrease`);
    }
    const last = list[list.length - 1];
    if (last?.le !== Infinity) problems.push(`${key}: no +Inf bucket`);
    else if (counts.get(key) !== last.value) problems.push(`${key}: +Inf bucket is not _count`);
  }
  return problems;
}

async function busyMonitor(): Promise<PerformanceMonitor> {
  const monitor = new PerformanceMonitor({ clock: new ManualClock() });
  const requests = monitor.counter({
    name: "p0_requests_total",
    help: 'Requests served, by route\\status ("quoted").',
    labelNames: ["route", "status"],
  });
  requests.inc({ route: '/a"b\\c\nd', status: "200" }, 3);
  requests.inc({ route: "/x", status: "500" });
  const latency = monitor.histogram({
    name: "p0_duration_seconds",
    help: "Request duration.",
    labelNames: ["route"],
  });
  for (const v of [0.001, 0.02, 0.3, 4, 120]) latency.observe({ route: "/x" }, v);
  monitor.gauge({ name: "p0_queue_depth", help: "Queue depth." }).set(3);
  monitor.alert({ name: "Deep", expr: { metric: "p0_queue_depth", stat: "value" }, threshold: 1 });
  monitor.enableRuntimeMetrics();
  await monitor.evaluate();
  return monitor;
}

describe("the /metrics exposition", () => {
  it(
    "P0 «`/metrics` exposition»: is valid Prometheus text — promtool when installed, a strict parser always",
    { tags: ["p0"] },
    async () => {
      const monitor = await busyMonitor();
      const text = await monitor.metrics();
      await monitor.close();
      expect(text).toContain("ALERTS{");
      expect(text).toMatch(/^p0_duration_seconds_bucket\{route="\/x",le="\+Inf"\} 5$/m);
      expect(expositionProblems(text)).toEqual([]);
      if (spawnSync("promtool", ["--version"]).status === 0) {
        const result = spawnSync("promtool", ["check", "metrics"], {
          input: text,
          encoding: "utf8",
        });
        expect(result.stderr + result.stdout).toBe("");
        expect(result.status).toBe(0);
      }
    },
  );

  it("the strict parser rejects what promtool rejects", () => {
    expect(expositionProblems("# TYPE a_total counter\na_total 1\n")).toEqual([]);
    expect(expositionProblems("# TYPE a counter\na 1\n")).toEqual([
      "line 2: counter a does not end in _total",
    ]);
    expect(expositionProblems("b 1\n")).toEqual(["line 1: b has no TYPE before it"]);
    expect(expositionProblems('# TYPE c gauge\nc{x="1",x="2"} 1\n')).toEqual([
      "line 2: label x twice",
    ]);
    expect(expositionProblems('# TYPE c gauge\nc{x="a\\q"} 1\n')).toEqual([
      'line 2: bad labels {x="a\\q"}',
    ]);
    expect(
      expositionProblems(
        '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 3\nh_count 1\n',
      ),
    ).toEqual(["h{}: bucket counts decrease"]);
    expect(expositionProblems("# TYPE g gauge\ng 1")).toEqual([
      "the exposition does not end with a newline",
    ]);
  });
});
