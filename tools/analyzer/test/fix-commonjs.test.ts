// `fix` on CommonJS files: new imports are `require` calls (after "use strict" and the file's own
// requires), the shared monitor / cache manager module is a CommonJS `.js` file, and the rewritten
// files run under node.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyFixes, planFixes } from "@perflayer/analyzer";
import { WORKSPACE, scratchProject } from "./fix-scratch.js";

const FIXTURES = join(import.meta.dirname, "__fixtures__", "fix", "commonjs");

function commonJsProject(): string {
  const files: Record<string, string> = {};
  for (const name of readdirSync(FIXTURES))
    files[`src/${name}`] = readFileSync(join(FIXTURES, name), "utf8");
  return scratchProject(files);
}

describe("fix: CommonJS files", () => {
  it("requires what a CommonJS file needs and creates a CommonJS shared module", async () => {
    const root = commonJsProject();
    const plan = await planFixes([join(root, "src")], { root });
    expect(plan.totals).toMatchObject({ findings: 4, rewritten: 4 });
    const after = (file: string): string => plan.files.find((f) => f.file === file)?.after ?? "";
    expect(after("src/config.js")).toContain(
      'const { readFileSync } = require("node:fs");\nconst { monitor } = require("./perflayer.js");\n',
    );
    expect(after("src/config.js")).toContain(
      'const stopLoadConfigTimer = monitor.startTimer("load_config_duration_seconds");',
    );
    expect(after("src/labels.js")).toMatch(
      /^"use strict";\n\nconst \{ memoize \} = require\("@perflayer\/cache"\);\nconst \{ caches \} = require\("\.\/perflayer\.js"\);\n\n\/\/ A CommonJS memo/,
    );
    expect(after("src/labels.js")).toContain(
      [
        "var labels = memoize(",
        '  (id) => "#" + String(id).padStart(6, "0"),',
        '  caches.cache("src.labels:labels"),',
        "  { key: (id) => id },",
        ");",
      ].join("\n"),
    );
    expect(after("src/perflayer.js")).toBe(
      [
        "// The project's one PerformanceMonitor and CacheManager (created by perflayer-analyze fix): require them from here.",
        'const { PerformanceMonitor } = require("@perflayer/monitor");',
        'const { CacheManager } = require("@perflayer/cache");',
        "",
        "exports.monitor = new PerformanceMonitor();",
        "exports.caches = new CacheManager({ instrumentation: exports.monitor.instrumentation });",
        "",
      ].join("\n"),
    );
    // A mark in a field never declared: the field holds the timer, called only once it is there.
    expect(after("src/upload.js")).toContain(
      'this._stopUploadTimer = monitor.startTimer("upload_duration_seconds");',
    );
    expect(after("src/upload.js")).toContain(
      "log.info(`upload took ${this._stopUploadTimer?.() * 1000} ms`);",
    );
    expect(after("src/labels.js")).not.toMatch(/^import /m);
    // In JavaScript the value is known from the map's JSDoc type, which is retyped with the map.
    expect(after("src/tokens.js")).toContain(
      [
        '/** @type {import("@perflayer/cache").Memoized<[string], string[]>} */',
        "const tokenCache = memoize(",
        "  (source) => tokenize(source),",
        '  caches.cache("src.tokens:tokenCache"),',
        "  { key: (source) => source },",
        ");",
      ].join("\n"),
    );
  });

  it("writes files that run under node: the memos compute once per key, the timer observes the read", async () => {
    const root = commonJsProject();
    const plan = await planFixes([join(root, "src")], { root });
    const result = applyFixes(plan);
    expect(result.rolledBack).toEqual([]);
    expect([...result.written].sort()).toEqual([
      "src/config.js",
      "src/labels.js",
      "src/perflayer.js",
      "src/tokens.js",
      "src/upload.js",
    ]);
    writeFileSync(join(root, "config.json"), '{ "port": 8080 }');
    writeFileSync(
      join(root, "main.cjs"),
      [
        'const { label } = require("./src/labels.js");',
        'const { tokensOf } = require("./src/tokens.js");',
        'const { loadConfig } = require("./src/config.js");',
        'const { caches, monitor } = require("./src/perflayer.js");',
        'const { Upload } = require("./src/upload.js");',
        "const upload = new Upload();",
        "const log = { info: (m) => console.log(m) };",
        "upload.end(log);",
        "upload.begin();",
        "upload.end(log);",
        "const first = label(42);",
        "const again = label(42);",
        'const stats = caches.cache("src.labels:labels").stats();',
        'const config = loadConfig("config.json");',
        "monitor.metrics().then((text) => {",
        "  const count = /load_config_duration_seconds_count\\S* (\\d+)/.exec(text)?.[1];",
        "  const uploads = /upload_duration_seconds_count\\S* (\\d+)/.exec(text)?.[1];",
        '  const same = tokensOf("a b") === tokensOf("a b");',
        "  console.log(JSON.stringify({ first, again, hits: stats.hits, port: config.port, count, same, uploads }));",
        "});",
        "",
      ].join("\n"),
    );
    const tsx = join(WORKSPACE, "node_modules", "tsx", "dist", "cli.mjs");
    const ran = spawnSync(
      process.execPath,
      [tsx, "--conditions=@perflayer/source", join(root, "main.cjs")],
      { cwd: root, encoding: "utf8", timeout: 60_000 },
    );
    expect(ran.stderr).toBe("");
    const lines = ran.stdout.trim().split("\n");
    // Read before its mark the elapsed time is NaN, as it was; after it, one observation.
    expect(lines[0]).toBe("upload took NaN ms");
    expect(lines[1]).toMatch(/^upload took [\d.e+-]+ ms$/);
    expect(lines[2]).toMatch(/^config read in [\d.e+-]+ ms$/);
    expect(JSON.parse(lines[3] ?? "{}")).toEqual({
      first: "#000042",
      again: "#000042",
      hits: 1,
      port: 8080,
      count: "1",
      same: true,
      uploads: "1",
    });
  }, 120_000);
});
