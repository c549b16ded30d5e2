import { describe, expect, it } from "vitest";
import { isResizable } from "@perflayer/core";
import type { Reclaimer } from "@perflayer/core";

describe("Reclaimer seam", () => {
  const plain: Reclaimer = { name: "plain", estimatedBytes: () => 0, reclaim: () => 0 };

  it("tells a resizable reclaimer (capacityBytes and resize) from a plain one", () => {
    const resizable = { ...plain, capacityBytes: () => 10, resize: () => 0 };
    expect(isResizable(plain)).toBe(false);
    expect(isResizable(resizable)).toBe(true);
    expect(isResizable({ ...plain, resize: () => 0 } as Reclaimer)).toBe(false);
  });
});
