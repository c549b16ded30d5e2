import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PerflayerConfigError } from "@perflayer/core";
import { analyze, renderReport, run } from "@perflayer/analyzer";
import type { Exemption } from "@perflayer/analyzer";
import { memoryIo } from "@perflayer/toolkit";
import { TTL, tree } from "./fixture-tree.ts";

// Two findings: a TTL cache (caching/ttl-cache) and a class of counters (monitoring/metric-object,
// lines 3-19 of its fixture).
const STATS = readFileSync(
  join(import.meta.dirname, "__fixtures__", "families", "metric-object.ts"),
  "utf8",
);

const REASON = "the library's own statistics: this package cannot import @perflayer/monitor";

function project(config?: unknown): string {
  return tree({
    ".git/HEAD": "x",
    "src/cache.ts": TTL,
    "src/stats.ts": STATS,
    ...(config === undefined ? {} : { "perflayer.analyzer.json": JSON.stringify(config) }),
  });
}

async function report(exemptions: readonly Exemption[]): ReturnType<typeof analyze> {
  return analyze({ root: project(), cacheDir: false, exemptions });
}

describe("reasoned exemptions", () => {
  it("take the findings they match out of the failing set and list them with their reason", async () => {
    const all = await analyze({ root: project(), cacheDir: false });
    const stats = all.findings.filter((f) => f.file === "src/stats.ts");
    expect(stats.length).toBeGreaterThan(0);
    expect(stats.map((f) => f.kind)).toEqual(["metric-object"]);

    const exemption = { file: "src/stats.ts", kind: "metric-object", reason: REASON };
    const r = await report([exemption]);
    expect(r.findings.map((f) => f.file)).toEqual(["src/cache.ts"]);
    expect(r.exempted.map((f) => [f.file, f.kind, f.exemption.reason])).toEqual([
      ["src/stats.ts", "metric-object", REASON],
    ]);
    expect(r.summary.findings).toBe(1);
    expect(r.summary.exempted).toBe(stats.length);
    expect(r.summary.byCategory.monitoring.findings).toBe(0);
    expect(r.roadmap.map((s) => s.kind)).toEqual(["ttl-cache"]);
    expect(r.unusedExemptions).toEqual([]);
  });

  it("narrow by kind, rule id, category, line range and symbol; an entry that matches nothing is unused", async () => {
    const kinds = await report([
      { file: "src/*.ts", kind: "monitoring/metric-object", reason: REASON },
      { file: "src/*.ts", kind: "memory", reason: "matches nothing: no memory finding here" },
    ]);
    expect(kinds.findings.map((f) => f.kind)).toEqual(["ttl-cache"]);
    expect(kinds.unusedExemptions.map((e) => e.kind)).toEqual(["memory"]);

    const lines = await report([
      { file: "src/stats.ts", lines: "3-19", reason: REASON },
      { file: "src/cache.ts", lines: "1-2", reason: "too narrow: the cache spans more lines" },
    ]);
    expect(lines.findings.map((f) => f.file)).toEqual(["src/cache.ts"]);
    expect(lines.unusedExemptions.map((e) => e.lines)).toEqual(["1-2"]);

    const symbols = await report([
      { file: "src/stats.ts", symbol: "#hits", reason: REASON },
      { file: "src/stats.ts", symbol: "#total", reason: "no such counter" },
    ]);
    expect(symbols.exempted.length).toBeGreaterThan(0);
    expect(symbols.exempted.every((f) => f.evidence.join(" ").includes("`#hits`"))).toBe(true);
    expect(symbols.unusedExemptions.map((e) => e.symbol)).toEqual(["#total"]);
  });

  it("appear in every report format with their reason; SARIF marks them suppressed with the justification", async () => {
    const r = await report([
      { file: "src/stats.ts", reason: REASON },
      { file: "src/gone.ts", reason: "stale: the file was deleted" },
    ]);
    const text = renderReport(r, "text");
    expect(text).toContain("Exempted (not counted above; each with its reason):");
    expect(text).toContain(`src/stats.ts:`);
    expect(text).toContain(`— exempted: ${REASON}`);
    expect(text).toContain("src/gone.ts — stale: the file was deleted");
    const md = renderReport(r, "md");
    expect(md).toContain("## Exempted");
    expect(md).toContain(REASON.replace(/\|/g, "\\|"));
    expect(md).toContain("**Unused exemptions**");
    const html = renderReport(r, "html");
    expect(html).toContain("<h2>Exempted</h2>");
    expect(html).toContain(REASON);
    expect(html).toContain("<code>src/gone.ts</code>");
    const json = JSON.parse(renderReport(r, "json")) as {
      exempted: { exemption: Exemption }[];
      unusedExemptions: Exemption[];
    };
    expect(json.exempted[0]?.exemption.reason).toBe(REASON);
    expect(json.unusedExemptions).toEqual([
      { file: "src/gone.ts", reason: "stale: the file was deleted" },
    ]);

    interface Result {
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
      suppressions?: unknown[];
    }
    const sarif = JSON.parse(renderReport(r, "sarif")) as {
      runs: [
        {
          results: Result[];
          invocations: { toolConfigurationNotifications: { message: { text: string } }[] }[];
        },
      ];
    };
    const run0 = sarif.runs[0];
    const uri = (x: Result): string => x.locations[0]?.physicalLocation.artifactLocation.uri ?? "";
    const suppressed = run0.results.filter((x) => x.suppressions !== undefined);
    expect(suppressed.map(uri).every((u) => u === "src/stats.ts")).toBe(true);
    expect(suppressed).toHaveLength(r.exempted.length);
    expect(suppressed[0]?.suppressions).toEqual([
      { kind: "external", status: "accepted", justification: REASON },
    ]);
    expect(run0.results.filter((x) => x.suppressions === undefined).map(uri)).toEqual([
      "src/cache.ts",
    ]);
    expect(run0.invocations[0]?.toolConfigurationNotifications[0]?.message.text).toContain(
      "src/gone.ts matched no finding",
    );
  });

  it("P0 «an exemption states why»: an entry without a reason is a typed error with a fix, from the API and from the config", async () => {
    const error = await analyze({
      root: project(),
      cacheDir: false,
      exemptions: [{ file: "src/stats.ts", reason: "  " }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PerflayerConfigError);
    expect(error).toMatchObject({ code: "ERR_EXEMPTION_REASON" });
    expect((error as Error).message).toContain(
      'analyze(): Expected `exemptions[0].reason` (file "src/stats.ts") to say why the findings it matches stay, got `"  "` (string).',
    );
    expect((error as Error).message).toContain('Pass e.g. { "file": ');

    const dir = project({ exemptions: [{ file: "src/stats.ts", kind: "counter" }] });
    const cli = memoryIo(dir);
    expect(await run([".", "--no-cache", "--quiet"], cli)).toBe(2);
    expect(cli.out()).toBe("");
    expect(cli.err()).toContain(
      "ERR_EXEMPTION_REASON: " +
        join(dir, "perflayer.analyzer.json") +
        ': Expected `$.exemptions[0].reason` (file "src/stats.ts") to say why the findings it matches stay, got none.',
    );
  });

  it("rejects a line range written backwards and an unknown field, naming the entry", async () => {
    await expect(report([{ file: "src/stats.ts", lines: "9-3", reason: REASON }])).rejects.toThrow(
      'Expected `exemptions[0].lines` to run from a line to a later one, got "9-3". Pass e.g. "3-9".',
    );
    await expect(
      report([{ file: "src/stats.ts", line: "3", reason: REASON } as unknown as Exemption]),
    ).rejects.toThrow("Unknown key `exemptions[0].line`");
  });

  it("leave --fail-on any passing when every finding is exempted; --fail-on unused fails on a stale entry", async () => {
    const dir = project({
      exemptions: [
        { file: "src/**", reason: REASON },
        { file: "src/old.ts", kind: "counter", reason: "the file is gone" },
      ],
    });
    const any = memoryIo(dir);
    expect(await run([".", "--no-cache", "--quiet", "--fail-on", "any"], any)).toBe(0);
    expect(any.err()).toContain(
      "perflayer-analyze: warning: the exemption of src/old.ts (counter) matched no finding; remove it, or correct its file, kind, lines or symbol",
    );
    const unused = memoryIo(dir);
    expect(await run([".", "--no-cache", "--quiet", "--fail-on", "any,unused"], unused)).toBe(1);
    expect(unused.err()).toContain("1 exemption(s) matched no finding.");

    writeFileSync(
      join(dir, "perflayer.analyzer.json"),
      JSON.stringify({ exemptions: [{ file: "src/cache.ts", reason: REASON }] }),
    );
    const failing = memoryIo(dir);
    expect(await run([".", "--no-cache", "--quiet", "--fail-on", "any"], failing)).toBe(1);
  });
});

describe("owners as an analyze() option", () => {
  it("drop a category's findings in the files of the package that owns it, and reject an unknown category", async () => {
    const owned = await analyze({
      root: project(),
      cacheDir: false,
      owners: { monitoring: ["src/stats.ts"] },
      exemptions: [{ file: "src/stats.ts", reason: "owned: nothing left to exempt" }],
    });
    expect(owned.findings.map((f) => f.file)).toEqual(["src/cache.ts"]);
    expect(owned.exempted).toEqual([]);
    expect(owned.unusedExemptions.map((e) => e.file)).toEqual(["src/stats.ts"]);
    await expect(
      analyze({
        root: project(),
        cacheDir: false,
        owners: { storage: ["src/**"] } as never,
      }),
    ).rejects.toThrow(
      'analyze(): Expected `owners` keys from caching, memory, response, monitoring, got "storage".',
    );
  });

  it("--fail-on none cannot be combined with another mode", async () => {
    const cli = memoryIo(project());
    expect(await run([".", "--no-cache", "--quiet", "--fail-on", "none,any"], cli)).toBe(2);
    expect(cli.err()).toContain('Expected --fail-on none alone, got "none,any".');
  });
});
