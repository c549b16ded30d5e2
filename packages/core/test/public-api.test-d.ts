import { describe, expectTypeOf, it } from "vitest";
import { ManualClock, noopInstrumentation, systemClock } from "@perflayer/core";
import type {
  Clock,
  Counter,
  CounterHandle,
  Instrumentation,
  LabelValues,
  OverloadError,
  Reclaimer,
  TimeoutError,
} from "@perflayer/core";

describe("core public types", () => {
  it("ManualClock and systemClock are Clocks", () => {
    expectTypeOf(new ManualClock()).toExtend<Clock>();
    expectTypeOf(systemClock).toEqualTypeOf<Clock>();
  });

  it("label values require exactly the declared names", () => {
    expectTypeOf<LabelValues<"cache" | "result">>().toEqualTypeOf<{
      readonly cache: string;
      readonly result: string;
    }>();
    const counter = noopInstrumentation.counter({
      name: "x_total",
      help: "x",
      labelNames: ["cache"],
    });
    expectTypeOf(counter).toEqualTypeOf<Counter<"cache">>();
    expectTypeOf<Parameters<Counter<"cache">["bind"]>[0]>().toEqualTypeOf<LabelValues<"cache">>();
    expectTypeOf(counter.bind({ cache: "users" })).toEqualTypeOf<CounterHandle>();
    // @ts-expect-error a missing label is a type error
    counter.bind({});
  });

  it("noopInstrumentation is an Instrumentation", () => {
    expectTypeOf(noopInstrumentation).toEqualTypeOf<Instrumentation>();
  });

  it("a Reclaimer may reclaim synchronously or asynchronously", () => {
    expectTypeOf<ReturnType<Reclaimer["reclaim"]>>().toEqualTypeOf<number | Promise<number>>();
  });

  it("error subclasses expose their fields", () => {
    expectTypeOf<OverloadError["retryAfterMs"]>().toEqualTypeOf<number>();
    expectTypeOf<TimeoutError["timeoutMs"]>().toEqualTypeOf<number | undefined>();
  });
});
