// arch-check vs dependency-cruiser 17.4 on real code, side by side in one run, with equivalent
// rules, cold and warm, and a check that both tools see the same structure.
//
//   pnpm --filter @perflayer/arch-check bench -- [--typeorm <checkout>] [--socketio <checkout>]
//     [--runs 3] [--targets npm,typeorm,socketio]
//
// Targets:
// - effect@3.17.7 + rxjs@7.8.2 sources, fetched with `npm pack` into a cache folder outside git;
// - typeorm at commit 281bfba (a single-package ORM; only its `src/` is checked), when a checkout
//   is given (`--typeorm` or PERFLAYER_TYPEORM);
// - socket.io at commit d2d753fe (an npm-workspaces monorepo of 12 packages; their `lib/` folders),
//   when a checkout is given (`--socketio` or PERFLAYER_SOCKETIO).
// Checkouts are read, never changed (arch-check's own cache goes to a temporary folder).
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import picomatch from "picomatch";
import { findCycles } from "../src/graph.ts";

const here = dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({
  options: {
    typeorm: { type: "string" },
    socketio: { type: "string" },
    runs: { type: "string" },
    targets: { type: "string" },
  },
});
const wanted = new Set((flags.targets ?? "npm,typeorm,socketio").split(","));
const runs = Number(flags.runs ?? "3");
const work = mkdtempSync(join(tmpdir(), "arch-bench-"));
const archBin = join(here, "..", "bin", "arch-check.js");
const depcruise = join(here, "..", "node_modules", ".bin", "depcruise");

interface ArchElement {
  readonly name: string;
  readonly paths?: string[];
  readonly packages?: string[];
  readonly allow: string[];
  readonly allowWithin?: boolean;
}

interface Target {
  readonly name: string;
  readonly root: string;
  /** Folders checked, relative to the root. */
  readonly scope: readonly string[];
  readonly elements: readonly ArchElement[];
  /** Path-element layers also expressed as dependency-cruiser rules. */
  readonly layers: boolean;
}

// ---------------------------------------------------------------------------------------------
// Targets

function npmTarget(): Target {
  const cache = process.env["PERFLAYER_BENCH_CACHE"] ?? join(tmpdir(), "perflayer-bench-cache");
  const root = join(cache, "arch-workspace");
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "packages"), { recursive: true });
  for (const spec of ["effect@3.17.7", "rxjs@7.8.2"]) {
    const folder = join(cache, spec.replace("@", "-"));
    if (!existsSync(join(folder, "package", "src"))) {
      mkdirSync(folder, { recursive: true });
      const tarball = execFileSync(
        "npm",
        ["pack", spec, "--silent", "--pack-destination", folder],
        {
          encoding: "utf8",
        },
      )
        .trim()
        .split("\n")
        .pop() as string;
      execFileSync("tar", ["xzf", join(folder, tarball), "-C", folder]);
    }
    symlinkSync(join(folder, "package"), join(root, "packages", spec.split("@")[0] as string));
  }
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "bench", private: true }));
  writeFileSync(join(root, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
  return {
    name: "effect@3.17.7 + rxjs@7.8.2",
    root,
    scope: ["packages/effect/src", "packages/rxjs/src"],
    elements: [
      { name: "effect", packages: ["effect"], allow: [] },
      { name: "rxjs", packages: ["rxjs"], allow: [] },
    ],
    layers: false,
  };
}

function checkout(
  flag: string | undefined,
  env: string,
  what: string,
  marker: string,
): string | undefined {
  const path = flag ?? process.env[env];
  if (path === undefined) {
    console.log(`(skipping ${what}: pass --${marker} <checkout> or set ${env})`);
    return undefined;
  }
  if (!existsSync(join(path, "package.json"))) {
    console.log(`(skipping ${what}: ${path} has no package.json — is it a checkout?)`);
    return undefined;
  }
  return resolve(path);
}

/** typeorm's src in four layers (base, metadata, query, app); every violation is a type-only import. */
function typeormTarget(): Target | undefined {
  const root = checkout(flags.typeorm, "PERFLAYER_TYPEORM", "typeorm@281bfba", "typeorm");
  if (root === undefined) return undefined;
  return {
    name: "typeorm@281bfba src/",
    root,
    scope: ["src"],
    elements: [
      {
        name: "base",
        paths: [
          "src/util/**",
          "src/common/**",
          "src/platform/**",
          "src/error/**",
          "src/driver/DriverUtils.ts",
          "src/find-options/**",
        ],
        allow: [],
      },
      {
        name: "metadata",
        paths: [
          "src/metadata/**",
          "src/metadata-args/**",
          "src/metadata-builder/**",
          "src/entity-schema/**",
          "src/naming-strategy/**",
          "src/decorator/**",
          "src/globals.ts",
        ],
        allow: ["base"],
      },
      {
        name: "query",
        paths: [
          "src/query-builder/**",
          "src/query-runner/**",
          "src/persistence/**",
          "src/repository/**",
          "src/entity-manager/**",
          "src/subscriber/**",
          "src/cache/**",
          "src/schema-builder/**",
          "src/migration/**",
          "src/driver/**",
          "src/logger/**",
        ],
        allow: ["base", "metadata"],
      },
      {
        name: "app",
        paths: [
          "src/data-source/**",
          "src/connection/**",
          "src/commands/**",
          "src/index.ts",
          "src/cli*.ts",
        ],
        allow: ["base", "metadata", "query"],
      },
    ],
    layers: true,
  };
}

function socketioTarget(): Target | undefined {
  const root = checkout(flags.socketio, "PERFLAYER_SOCKETIO", "socket.io@d2d753fe", "socketio");
  if (root === undefined) return undefined;
  const packages = readdirSync(join(root, "packages")).filter((p) =>
    existsSync(join(root, "packages", p, "lib")),
  );
  return {
    name: `socket.io@d2d753fe (${packages.length} packages' lib/)`,
    root,
    scope: packages.map((p) => `packages/${p}/lib`),
    elements: [{ name: "socket.io", paths: ["packages/**"], allow: [] }],
    layers: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Equivalent configs

const regex = (globs: readonly string[]): string =>
  globs.map((g) => picomatch.makeRe(g).source).join("|");

/** The layer rules as dependency-cruiser's: for each element, every element it may not reach. */
function depcruiseLayers(elements: readonly ArchElement[], exemptTypeOnly: boolean): unknown[] {
  // An element owns a file when its glob matches first (as arch-check assigns them).
  const owns = (i: number) => {
    const earlier = elements.slice(0, i).flatMap((e) => e.paths ?? []);
    return {
      path: regex(elements[i]?.paths ?? []),
      ...(earlier.length > 0 ? { pathNot: regex(earlier) } : {}),
    };
  };
  const rules: unknown[] = [];
  elements.forEach((from, i) =>
    elements.forEach((to, j) => {
      if (i === j || from.allow.includes(to.name)) return;
      rules.push({
        name: `layer-${from.name}-${to.name}`,
        severity: "error",
        from: owns(i),
        to: { ...owns(j), ...(exemptTypeOnly ? { dependencyTypesNot: ["type-only"] } : {}) },
      });
    }),
  );
  return rules;
}

function writeConfigs(
  target: Target,
  folder: string,
  exemptTypeOnly: boolean,
): { arch: string; dc: string } {
  mkdirSync(folder, { recursive: true });
  const arch = join(folder, "perflayer.arch.json");
  writeFileSync(
    arch,
    JSON.stringify({
      elements: target.elements.map((e) => (exemptTypeOnly ? { ...e, typeOnly: "allow" } : e)),
      cycles: { runtime: "error", typeOnly: "warning" },
      unusedDependencies: false,
    }),
  );
  const dc = join(folder, "dependency-cruiser.cjs");
  writeFileSync(
    dc,
    `module.exports = ${JSON.stringify({
      forbidden: [
        {
          name: "no-circular",
          severity: "error",
          from: {},
          to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
        },
        ...(target.layers ? depcruiseLayers(target.elements, exemptTypeOnly) : []),
      ],
      options: { tsPreCompilationDeps: true, doNotFollow: { path: "node_modules" } },
    })};\n`,
  );
  return { arch, dc };
}

// ---------------------------------------------------------------------------------------------
// Running

function time(
  command: string,
  args: readonly string[],
  cwd: string,
): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  if ((result.status !== 0 && result.status !== 1) || result.stdout === "")
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status}: ${result.stderr.slice(0, 2000)}`,
    );
  return { ms, stdout: result.stdout };
}

interface ArchOut {
  stats: { files: number; imports: number; unresolved: number };
  cycles: { nodes: string[]; edges: number; cut: unknown[]; greedyCut: number }[];
  typeOnlyCycles: { nodes: string[]; edges: number; cut: unknown[]; greedyCut: number }[];
  files: { file: string; imports: { resolved: string; violations: string[] }[] }[];
}

interface DcOut {
  summary: {
    totalCruised: number;
    violations: { from: string; to: string; rule: { name: string } }[];
  };
  modules: {
    source: string;
    dependencies: {
      resolved: string;
      coreModule: boolean;
      couldNotResolve: boolean;
      dependencyTypes: string[];
    }[];
  }[];
}

function runArch(target: Target, config: string, cacheHome: string): { ms: number; out: ArchOut } {
  const r = time(
    process.execPath,
    [
      archBin,
      ...target.scope,
      "--root",
      target.root,
      "--config",
      config,
      "--format",
      "json",
      "--cache-dir",
      cacheHome,
    ],
    target.root,
  );
  return { ms: r.ms, out: JSON.parse(r.stdout) as ArchOut };
}

function runDc(target: Target, config: string, cache: string): { ms: number; out: DcOut } {
  // The content strategy: checkouts need not be git repositories.
  const r = time(
    depcruise,
    [
      "--config",
      config,
      "--output-type",
      "json",
      "--cache",
      cache,
      "--cache-strategy",
      "content",
      ...target.scope,
    ],
    target.root,
  );
  return { ms: r.ms, out: JSON.parse(r.stdout) as DcOut };
}

/** Paths compared by their real location: the tools may name a linked folder differently. */
function realKey(root: string): (nodes: readonly string[]) => string {
  const real = (p: string): string => {
    try {
      return realpathSync(join(root, p));
    } catch {
      return p;
    }
  };
  return (nodes) => nodes.map(real).sort().join(",");
}

/** dependency-cruiser's graph as strongly connected components: runtime ones and with types. */
function dcComponents(
  out: DcOut,
  key: (nodes: readonly string[]) => string,
): { runtime: Set<string>; all: Set<string> } {
  const inside = new Set(out.modules.map((m) => m.source));
  const runtime = new Map<string, Set<string>>();
  const all = new Map<string, Set<string>>();
  for (const m of out.modules)
    for (const d of m.dependencies) {
      if (d.coreModule || d.couldNotResolve || !inside.has(d.resolved)) continue;
      all.set(m.source, (all.get(m.source) ?? new Set()).add(d.resolved));
      if (!d.dependencyTypes.includes("type-only"))
        runtime.set(m.source, (runtime.get(m.source) ?? new Set()).add(d.resolved));
    }
  return {
    runtime: new Set(findCycles(runtime).map((c) => key(c.nodes))),
    all: new Set(findCycles(all).map((c) => key(c.nodes))),
  };
}

function same(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function bench(target: Target): void {
  const folder = join(work, target.name.replace(/[^\w]+/g, "-"));
  const { arch, dc } = writeConfigs(target, folder, false);
  const archCache = join(folder, "arch-cache");
  const dcCache = join(folder, "dc-cache");
  const times = {
    archCold: [] as number[],
    archWarm: [] as number[],
    dcCold: [] as number[],
    dcWarm: [] as number[],
  };
  let ours: ArchOut | undefined;
  let theirs: DcOut | undefined;
  for (let r = 0; r < runs; r++) {
    rmSync(archCache, { recursive: true, force: true });
    const cold = runArch(target, arch, archCache);
    ours ??= cold.out;
    times.archCold.push(cold.ms);
    times.archWarm.push(runArch(target, arch, archCache).ms);
    rmSync(dcCache, { recursive: true, force: true });
    const dcCold = runDc(target, dc, dcCache);
    theirs ??= dcCold.out;
    times.dcCold.push(dcCold.ms);
    times.dcWarm.push(runDc(target, dc, dcCache).ms);
  }
  if (ours === undefined || theirs === undefined) return;
  const coldRatios = times.archCold.map((t, i) => t / (times.dcCold[i] as number));
  const warmRatios = times.archWarm.map((t, i) => t / (times.dcWarm[i] as number));
  const range = (xs: number[]): string =>
    `${median(xs).toFixed(2)}× (runs ${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
  console.log(
    `\n## ${target.name} — node ${process.version}, ${runs} runs, arch-check ${target.scope.length > 3 ? `${target.scope.length} folders` : target.scope.join(" ")}\n`,
  );
  console.log("| tool | cold | warm | scope |");
  console.log("|---|---:|---:|---|");
  console.log(
    `| arch-check | ${seconds(median(times.archCold))} | ${seconds(median(times.archWarm))} | ${ours.stats.files} files, ${ours.stats.imports} imports, ${ours.stats.unresolved} unresolved |`,
  );
  console.log(
    `| dependency-cruiser 17.4.3 (warm: \`--cache --cache-strategy content\`) | ${seconds(median(times.dcCold))} | ${seconds(median(times.dcWarm))} | ${theirs.summary.totalCruised} modules |`,
  );
  console.log(
    `\narch-check / dependency-cruiser: cold ${range(coldRatios)}, warm ${range(warmRatios)}`,
  );

  const key = realKey(target.root);
  const dcScc = dcComponents(theirs, key);
  const ourRuntime = new Set(ours.cycles.map((c) => key(c.nodes)));
  const ourAll = new Set([...ours.cycles, ...ours.typeOnlyCycles].map((c) => key(c.nodes)));
  const sizes = (s: ReadonlySet<string>): string =>
    [...s]
      .map((k) => k.split(",").length)
      .sort((a, b) => b - a)
      .join(" + ") || "none";
  console.log(
    `runtime SCCs: arch-check ${sizes(ourRuntime)}, dependency-cruiser ${sizes(dcScc.runtime)} — ${same(ourRuntime, dcScc.runtime) ? "identical node sets" : "DIFFERENT"}`,
  );
  console.log(
    `SCCs with type-only imports: arch-check ${sizes(ourAll)}, dependency-cruiser ${sizes(dcScc.all)} — ${same(ourAll, dcScc.all) ? "identical node sets" : "DIFFERENT"}`,
  );
  for (const c of [...ours.cycles, ...ours.typeOnlyCycles].filter((c) => c.nodes.length >= 20))
    console.log(
      `cut for the ${c.nodes.length}-module tangle (${c.edges} edges): ${c.cut.length} edges; Eades–Lin–Smyth alone: ${c.greedyCut}`,
    );
  if (!target.layers) return;
  const pairs = (out: ArchOut): Set<string> =>
    new Set(
      out.files.flatMap((f) =>
        f.imports
          .filter((i) => i.violations.includes("arch/layer"))
          .map((i) => `${f.file}>${i.resolved}`),
      ),
    );
  const dcPairs = (out: DcOut): Set<string> =>
    new Set(
      out.summary.violations
        .filter((v) => v.rule.name.startsWith("layer-"))
        .map((v) => `${v.from}>${v.to}`),
    );
  const strict = { ours: pairs(ours), theirs: dcPairs(theirs) };
  const lenient = writeConfigs(target, join(folder, "type-only-allowed"), true);
  const oursLenient = pairs(runArch(target, lenient.arch, join(folder, "arch-cache-2")).out);
  const theirsLenient = dcPairs(runDc(target, lenient.dc, join(folder, "dc-cache-2")).out);
  console.log(
    `layer violations (file → file): arch-check ${strict.ours.size}, dependency-cruiser ${strict.theirs.size} — ${same(strict.ours, strict.theirs) ? "the same pairs" : "DIFFERENT"}; with type-only imports exempt: ${oursLenient.size} and ${theirsLenient.size}`,
  );
}

try {
  const targets = [
    wanted.has("npm") ? npmTarget() : undefined,
    wanted.has("typeorm") ? typeormTarget() : undefined,
    wanted.has("socketio") ? socketioTarget() : undefined,
  ];
  for (const target of targets) if (target !== undefined) bench(target);
} finally {
  rmSync(work, { recursive: true, force: true });
}
