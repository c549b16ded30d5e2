import { describe, expect, it } from "vitest";
import { ManualClock } from "@perflayer/core";
import { run } from "@perflayer/analyzer";
import { memoryIo } from "@perflayer/toolkit";
import type { MemoryIo } from "@perflayer/toolkit";
import { RunProgress } from "../src/run-progress.ts";
import { tree } from "./fixture-tree.ts";

const summary = { files: 936, parsed: 900, cached: 36, skipped: 412 };

function terminal(): MemoryIo {
  const io = memoryIo("/");
  return { ...io, stderr: { ...io.stderr, isTTY: true } };
}

describe("progress of a long run", () => {
  it("without a terminal, prints one line every ten seconds and a closing timing line", () => {
    const clock = new ManualClock();
    const io = memoryIo("/");
    const progress = new RunProgress(io, { clock });
    progress.update(0, 936, "a.ts");
    clock.advance(9_999);
    progress.update(300, 936, "b.ts");
    expect(io.err()).toBe("");
    clock.advance(1);
    progress.update(412, 936, "c.ts");
    clock.advance(5_000);
    progress.update(500, 936, "d.ts");
    clock.advance(5_000);
    progress.update(700, 936, "e.ts");
    clock.advance(2_300);
    progress.finish(summary);
    expect(io.err()).toBe(
      [
        "perflayer-analyze: analysed 412/936 files…",
        "perflayer-analyze: analysed 700/936 files…",
        "perflayer-analyze: 936 files in 22.3 s (900 parsed, 36 from cache); 412 skipped",
        "",
      ].join("\n"),
    );
  });

  it("on a terminal, keeps one live line and clears it before the closing line", () => {
    const clock = new ManualClock();
    const io = terminal();
    const progress = new RunProgress(io, { clock });
    progress.update(0, 10, "src/a.ts");
    clock.advance(50);
    progress.update(1, 10, "src/b.ts"); // within 100 ms of the last draw: not redrawn
    clock.advance(50);
    progress.update(2, 10, "src/c.ts");
    progress.finish({ files: 10, parsed: 10, cached: 0, skipped: 0 });
    expect(io.err().split("\r")).toEqual([
      "",
      "\u001b[2Kanalysing 0/10 files… src/a.ts",
      "\u001b[2Kanalysing 2/10 files… src/c.ts",
      "\u001b[2Kperflayer-analyze: 10 files in 0.1 s (10 parsed, 0 from cache); 0 skipped\n",
    ]);
  });

  it("is silent with quiet", () => {
    const clock = new ManualClock();
    const io = terminal();
    const progress = new RunProgress(io, { clock, quiet: true });
    progress.update(0, 10, "a.ts");
    clock.advance(60_000);
    progress.update(5, 10, "b.ts");
    progress.finish(summary);
    expect(io.err()).toBe("");
  });

  it("the CLI closes with the timing line on stderr, and --quiet silences it", async () => {
    const root = tree({ "src/a.ts": "export const a = 1;\n" });
    const loud = memoryIo(root);
    expect(await run(["src", "--no-cache", "--format", "json"], loud)).toBe(0);
    expect(loud.err()).toMatch(
      /^perflayer-analyze: 1 file in \d+\.\d s \(1 parsed, 0 from cache\); 0 skipped\n$/,
    );
    const quiet = memoryIo(root);
    expect(await run(["src", "--no-cache", "--format", "json", "--quiet"], quiet)).toBe(0);
    expect(quiet.err()).toBe("");
  });
});
