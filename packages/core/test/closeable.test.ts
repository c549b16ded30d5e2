import { describe, expect, it } from "vitest";
import { closeAll } from "@perflayer/core";

describe("closeAll", () => {
  it("closes every resource even when one fails, then rethrows that failure", async () => {
    const closed: string[] = [];
    const boom = new Error("boom");
    const resources = [
      { close: () => void closed.push("a") },
      { close: (): Promise<void> => Promise.reject(boom) },
      { close: (): Promise<void> => Promise.resolve(void closed.push("c")) },
    ];
    await expect(closeAll(resources)).rejects.toBe(boom);
    expect(closed).toEqual(["a", "c"]);
  });

  it("aggregates several failures", async () => {
    const fail = (): Promise<void> => Promise.reject(new Error("x"));
    await expect(closeAll([{ close: fail }, { close: fail }])).rejects.toBeInstanceOf(
      AggregateError,
    );
  });
});
