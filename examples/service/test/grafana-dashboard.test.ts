import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startService } from "../src/server.js";

const repo = join(import.meta.dirname, "..", "..", "..");
const dashboard = JSON.parse(
  readFileSync(join(repo, "docs", "grafana", "perflayer.json"), "utf8"),
) as { panels: { title: string; targets: { expr: string }[] }[] };

/** Metric names a PromQL expression reads (histogram series mapped to their metric). */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b(perflayer_[a-z_]+|nodejs_[a-z_]+|ALERTS)\b/g)].map((m) =>
    (m[1] as string).replace(/_(bucket|sum|count)$/, ""),
  );
}

const used = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricsIn(t.expr))));

/** Every metric name the perflayer packages declare, read from their sources. */
function declared(): Set<string> {
  const names = new Set<string>();
  for (const pkg of ["cache", "cache-redis", "core", "memory", "monitor", "response"]) {
    const src = join(repo, "packages", pkg, "src");
    for (const file of readdirSync(src)) {
      const text = readFileSync(join(src, file), "utf8");
      for (const m of text.matchAll(/name: "([a-zA-Z_:][a-zA-Z0-9_:]*)"/g))
        names.add(m[1] as string);
      if (text.includes('"ALERTS"')) names.add("ALERTS");
    }
  }
  return names;
}

describe("the Grafana dashboard (docs/grafana/perflayer.json)", () => {
  it("queries only metric names the packages declare", () => {
    const known = declared();
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((name) => !known.has(name))).toEqual([]);
  });

  it("finds the cache and response series it charts on a running service's /metrics", async () => {
    const service = await startService();
    try {
      await Promise.all([1, 1, 2, 999_999].map((id) => fetch(`${service.url}/products/${id}`)));
      const text = await (await fetch(`${service.url}/metrics`)).text();
      const exposed = new Set(
        [...text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )/gm)].map((m) =>
          (m[1] as string).replace(/_(bucket|sum|count)$/, ""),
        ),
      );
      // The Redis tier's series (perflayer_cache_l2_*) need a Redis (`--replicas`); this service has none.
      const live = [...used].filter(
        (n) => /^perflayer_(cache|response)_/.test(n) && !n.startsWith("perflayer_cache_l2_"),
      );
      expect(live.length).toBeGreaterThan(6);
      // The SLO gauge needs an SLO configured; the service sets none.
      const missing = live.filter(
        (n) => !exposed.has(n) && n !== "perflayer_response_slo_compliance_ratio",
      );
      expect(missing).toEqual([]);
    } finally {
      await service.close();
    }
  });
});
