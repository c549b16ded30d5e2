import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "@perflayer/analyzer";
import { memoryIo } from "@perflayer/toolkit";
import { SUPPORTED_KEYWORDS, validateJson } from "../src/json-schema.ts";
import type { JsonSchema } from "../src/json-schema.ts";
import { TTL, tree } from "./fixture-tree.ts";

const packageRoot = join(import.meta.dirname, "..");
const schema = JSON.parse(
  readFileSync(join(packageRoot, "schema", "perflayer.analyzer.schema.json"), "utf8"),
) as JsonSchema;

function project(config: unknown): string {
  return tree({
    ".git/HEAD": "x",
    "src/a.ts": "export const a = 1;\n",
    "perflayer.analyzer.json": JSON.stringify(config),
  });
}

async function usageError(config: unknown): Promise<string> {
  const cli = memoryIo(project(config));
  expect(await run([".", "--no-cache", "--quiet"], cli)).toBe(2);
  expect(cli.out()).toBe("");
  return cli.err();
}

describe("the analyzer config", () => {
  it(
    "P0 «a wrong config is a usage error naming its JSON path»: rejects a string where an array belongs, naming the key, instead of analysing nothing",
    { tags: ["p0"] },
    async () => {
      const err = await usageError({ exclude: "docs/**" });
      expect(err).toContain("perflayer-analyze: ERR_CONFIG:");
      expect(err).toContain(
        'Expected `$.exclude` to be an array of non-empty strings, got `"docs/**"` (string). Pass e.g. ["docs/**","**/__fixtures__/**"].',
      );
    },
  );

  it("rejects an unknown key with the closest known one", async () => {
    const err = await usageError({ exlude: ["docs/**"] });
    expect(err).toContain(
      "Unknown key `$.exlude`; expected one of `$schema`, `include`, `exclude`, `owners`, `exemptions`, `includeGenerated`, `linkTemplate`. Did you mean `exclude`?",
    );
  });

  it("lists every problem with its JSON path", async () => {
    const err = await usageError({
      owners: { caching: ["packages/cache/**", 3], storage: [] },
      includeGenerated: "yes",
    });
    expect(err).toContain("has 3 problems:");
    expect(err).toContain(
      "Expected `$.owners.caching[1]` to be a non-empty string, got `3` (number).",
    );
    expect(err).toContain("Unknown key `$.owners.storage`");
    expect(err).toContain(
      'Expected `$.includeGenerated` to be true or false, got `"yes"` (string).',
    );
  });

  it("rejects a file that is not JSON", async () => {
    const root = project({});
    writeFileSync(join(root, "perflayer.analyzer.json"), "{ exclude: [docs] }");
    const cli = memoryIo(root);
    expect(await run([".", "--no-cache"], cli)).toBe(2);
    expect(cli.err()).toContain("Could not read the analyzer config");
  });

  it("accepts a valid config and applies it from the project root", async () => {
    const root = project({ $schema: "x", include: ["src/**"], exclude: ["src/b.ts"] });
    writeFileSync(join(root, "src", "b.ts"), TTL);
    const cli = memoryIo(join(root, "src"));
    expect(
      await run([".", "--no-cache", "--quiet", "--format", "json", "--fail-on", "any"], cli),
    ).toBe(0);
  });
});

describe("the config schema", () => {
  it("ships with the package", () => {
    const manifest = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
      files: string[];
      exports: Record<string, unknown>;
    };
    expect(manifest.files).toContain("schema");
    expect(manifest.exports["./schema.json"]).toBe("./schema/perflayer.analyzer.schema.json");
  });

  it("uses only keywords the validator understands", () => {
    const used = new Set<string>();
    const visit = (node: unknown, inProperties: boolean): void => {
      if (typeof node !== "object" || node === null || Array.isArray(node)) return;
      for (const [key, value] of Object.entries(node)) {
        if (!inProperties) used.add(key);
        if (key === "examples") continue;
        visit(value, key === "properties" || key === "definitions");
      }
    };
    visit(schema, false);
    expect([...used].filter((k) => !SUPPORTED_KEYWORDS.includes(k))).toEqual([]);
  });

  it("validates the repository's own config", () => {
    const own = JSON.parse(
      readFileSync(join(packageRoot, "..", "..", "perflayer.analyzer.json"), "utf8"),
    ) as unknown;
    expect(validateJson(schema, own)).toEqual([]);
    expect(validateJson(schema, { linkTemplate: "https://example.com/{line}" })).toEqual([
      'Expected `$.linkTemplate` to be a string matching /\\{path\\}/, got `"https://example.com/{line}"` (string). Pass e.g. "https://github.com/org/repo/blob/main/{path}#L{line}-L{endLine}".',
    ]);
  });
});
