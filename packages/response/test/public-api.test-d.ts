import { describe, expectTypeOf, it } from "vitest";
import { ResponseOptimizer, VegasLimit, retry, withTimeout } from "@perflayer/response";
import type {
  AimdLimit,
  GradientLimit,
  LimitAlgorithm,
  Priority,
  TaskContext,
} from "@perflayer/response";

describe("response public types", () => {
  const optimizer = new ResponseOptimizer();

  it("run() returns the task's result type and passes a context with a signal", () => {
    expectTypeOf(optimizer.run(() => 42)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(optimizer.run(() => Promise.resolve("x"))).toEqualTypeOf<Promise<string>>();
    expectTypeOf<TaskContext["signal"]>().toEqualTypeOf<AbortSignal>();
  });

  it("priorities are names or numbers", () => {
    expectTypeOf<"high">().toExtend<Priority>();
    expectTypeOf<7>().toExtend<Priority>();
    // @ts-expect-error unknown level names are type errors
    void optimizer.run(() => 1, { priority: "urgent" });
  });

  it("retry and withTimeout keep the result type", () => {
    expectTypeOf(retry(() => 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(withTimeout(Promise.resolve(true), 10)).toEqualTypeOf<Promise<boolean>>();
  });

  it("the adaptive limits are LimitAlgorithms, fed the time with each sample", () => {
    expectTypeOf<GradientLimit>().toExtend<LimitAlgorithm>();
    expectTypeOf<VegasLimit>().toExtend<LimitAlgorithm>();
    expectTypeOf<AimdLimit>().toExtend<LimitAlgorithm>();
    expectTypeOf<LimitAlgorithm["update"]>().parameters.toEqualTypeOf<
      [rttMs: number, inflight: number, dropped: boolean, now: number]
    >();
    void new ResponseOptimizer({ concurrency: new VegasLimit({ alpha: 0.05, windowMs: 200 }) });
  });
});
