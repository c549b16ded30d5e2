import { describe, expect, it } from "vitest";
import { analyze, renderReport, run } from "@perflayer/analyzer";
import { memoryIo } from "@perflayer/toolkit";
import { TTL, tree } from "./fixture-tree.ts";

function project(): string {
  return tree({
    ".git/HEAD": "x",
    "src/user cache/users.ts": TTL,
    "src/blob.ts": Buffer.from([0x47, 0x00]),
  });
}

describe("the HTML report", () => {
  it("renders evidence as code, without raw backticks", async () => {
    const report = await analyze({ root: project(), cacheDir: false });
    const evidence = report.findings[0]?.evidence.join(" ") ?? "";
    expect(evidence).toContain("`");
    const html = renderReport(report, "html");
    const cells = [...html.matchAll(/<tr><td><a [^>]*>.*?<\/tr>/g)].map((m) => m[0]);
    expect(cells).toHaveLength(1);
    expect(cells[0]).not.toContain("`");
    expect(cells[0]).toMatch(/<code>[^<]+<\/code>/);
  });

  it("links each file:line to the editor by default", async () => {
    const root = project();
    const report = await analyze({ root, cacheDir: false });
    const finding = report.findings[0];
    expect(renderReport(report, "html")).toContain(
      `<a href="vscode://file/${root.slice(1)}/src/user%20cache/users.ts:${finding?.startLine}"><code>src/user cache/users.ts:${finding?.startLine}-${finding?.endLine}</code></a>`,
    );
  });

  it("links to a code host with --link-template, and lists skipped files with reasons", async () => {
    const cli = memoryIo(project());
    const template = "https://github.com/org/repo/blob/main/{path}#L{line}-L{endLine}";
    expect(
      await run(
        [".", "--format", "html", "--link-template", template, "--no-cache", "--quiet"],
        cli,
      ),
    ).toBe(0);
    expect(cli.out()).toMatch(
      /<a href="https:\/\/github.com\/org\/repo\/blob\/main\/src\/user%20cache\/users.ts#L\d+-L\d+">/,
    );
    expect(cli.out()).toContain("<h2>Skipped files</h2><p>1 binary</p>");
    expect(cli.out()).toContain(
      "<td><code>src/blob.ts</code></td><td>binary content (a NUL byte at offset 1)</td>",
    );
  });

  it("rejects a link template without {path} or with an unknown placeholder", async () => {
    for (const template of ["https://example.com/{line}", "https://x/{path}#{column}"]) {
      const cli = memoryIo(project());
      expect(
        await run([".", "--format", "html", "--link-template", template, "--no-cache"], cli),
      ).toBe(2);
      expect(cli.err()).toContain("Expected the link template to contain {path}");
    }
  });
});
