// `pnpm bench:services [--scenario steady,overload] [--against anchor,legacy] [--docs]`: the five
// scenarios of issue 25, perflayer's service against the anchor service and the legacy one, each
// comparison through bench-gate. Writes demo-output/services.md; `--docs` also rewrites the section
// between the markers in docs/benchmarks.md.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { format, resolveConfig } from "prettier";
import { SCENARIOS, compareServices } from "./service-scenarios.ts";
import type { ScenarioResult, ServiceKind } from "./service-scenarios.ts";
import { renderServicesMarkdown, renderServicesText } from "./service-report.ts";

const START = "<!-- services:start -->";
const END = "<!-- services:end -->";

async function main(): Promise<number> {
  const root = process.cwd();
  const { values } = parseArgs({
    options: {
      scenario: { type: "string" },
      against: { type: "string", default: "anchor,legacy" },
      docs: { type: "boolean", default: false },
    },
  });
  const wanted = values.scenario?.split(",");
  const scenarios = SCENARIOS.filter((s) => wanted === undefined || wanted.includes(s.id));
  const bases = values.against.split(",") as ServiceKind[];
  if (scenarios.length === 0 || bases.some((b) => b !== "anchor" && b !== "legacy")) {
    console.error(
      `usage: compare-services [--scenario ${SCENARIOS.map((s) => s.id).join(",")}] [--against anchor,legacy] [--docs]`,
    );
    return 2;
  }
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios)
    for (const base of bases) {
      process.stderr.write(`${scenario.id}: perflayer vs ${base} …`);
      const result = await compareServices(scenario, base, "perflayer", root, (round) =>
        process.stderr.write(` ${round}`),
      );
      process.stderr.write("\n");
      results.push(result);
    }
  process.stdout.write(renderServicesText(results));
  const markdown = renderServicesMarkdown(results);
  mkdirSync(join(root, "demo-output"), { recursive: true });
  writeFileSync(join(root, "demo-output", "services.md"), markdown);
  if (values.docs) {
    const path = join(root, "docs", "benchmarks.md");
    const doc = readFileSync(path, "utf8");
    const [before, rest] = doc.split(START);
    const after = rest?.split(END)[1];
    if (before === undefined || after === undefined) {
      console.error(`docs/benchmarks.md has no ${START} … ${END} section`);
      return 2;
    }
    const text = `${before}${START}\n\n${markdown}\n${END}${after}`;
    const config = await resolveConfig(path);
    writeFileSync(path, await format(text, { ...config, filepath: path }));
  }
  return results.some((r) => "error" in r.comparison) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error("compare-services failed:", error);
    process.exitCode = 2;
  },
);
