import { describe, expect, it } from "vitest";
import { ManualClock, PerflayerConfigError } from "@perflayer/core";
import { lazy } from "@perflayer/cache";

describe("lazy", () => {
  it("loads a sync value on the first get and keeps it", () => {
    let calls = 0;
    const config = lazy(() => ({ port: 8080 + calls++ }));
    expect(config.peek()).toBeUndefined();
    const first = config.get();
    expect(config.get()).toBe(first);
    expect(first).toEqual({ port: 8080 });
    expect(config.peek()).toBe(first);
    expect(config.stats()).toEqual({ hits: 1, loads: 1, loadErrors: 0 });
  });

  it("keeps undefined and null as values", () => {
    let calls = 0;
    const nothing = lazy(() => {
      calls++;
      return undefined;
    });
    expect([nothing.get(), nothing.get()]).toEqual([undefined, undefined]);
    expect(calls).toBe(1);
  });

  it("does not keep a sync load that throws", () => {
    let calls = 0;
    const flaky = lazy(() => {
      if (calls++ === 0) throw new Error("not yet");
      return "ready";
    });
    expect(() => flaky.get()).toThrow("not yet");
    expect(flaky.get()).toBe("ready");
    expect(flaky.stats()).toEqual({ hits: 0, loads: 2, loadErrors: 1 });
  });

  it("shares one async load between concurrent callers and keeps its promise", async () => {
    let calls = 0;
    const connection = lazy(async () => {
      calls++;
      await Promise.resolve();
      return { id: calls };
    });
    const [a, b] = [connection.get(), connection.get()];
    expect(a).toBe(b);
    expect(connection.peek()).toBeUndefined();
    const value = await a;
    expect(connection.peek()).toBe(value);
    expect(connection.get()).toBe(a);
    expect(calls).toBe(1);
  });

  it("does not keep a rejection: the next get loads again", async () => {
    let calls = 0;
    const remote = lazy(async () => {
      await Promise.resolve();
      if (calls++ === 0) throw new Error("backend down");
      return "up";
    });
    const [a, b] = [remote.get(), remote.get()];
    expect(a).toBe(b);
    await expect(a).rejects.toThrow("backend down");
    expect(remote.peek()).toBeUndefined();
    await expect(remote.get()).resolves.toBe("up");
    expect(remote.stats()).toEqual({ hits: 1, loads: 2, loadErrors: 1 });
  });

  it("reloads after ttl, counted from when the load finished", async () => {
    const clock = new ManualClock();
    let calls = 0;
    const token = lazy(() => `token ${++calls}`, { ttl: 1_000, clock });
    expect(token.get()).toBe("token 1");
    clock.advance(999);
    expect(token.get()).toBe("token 1");
    clock.advance(1);
    expect(token.peek()).toBeUndefined();
    expect(token.get()).toBe("token 2");

    const slow = lazy(
      async () => {
        clock.advance(500); // the load itself takes time
        await Promise.resolve();
        return ++calls;
      },
      { ttl: 100, clock },
    );
    const first = await slow.get();
    clock.advance(99);
    expect(await slow.get()).toBe(first);
    clock.advance(1);
    expect(await slow.get()).toBe(first + 1);
  });

  it("keeps each loaded value for the TTL its own function reads from it, counted from when the load finished", async () => {
    const clock = new ManualClock();
    const lifetimes = [1_000, 50];
    let issued = 0;
    const token = lazy(
      async () => {
        clock.advance(200); // issuing takes time: the TTL counts from the end of the load
        await Promise.resolve();
        return { id: ++issued, expiresInMs: lifetimes[issued - 1] ?? 0 };
      },
      { ttl: (t) => t.expiresInMs, clock },
    );
    expect((await token.get()).id).toBe(1);
    clock.advance(999);
    expect((await token.get()).id).toBe(1);
    clock.advance(1);
    expect(token.peek()).toBeUndefined();
    expect((await token.get()).id).toBe(2); // this one says 50 ms
    clock.advance(49);
    expect(token.peek()?.id).toBe(2);
    clock.advance(1);
    expect((await token.get()).id).toBe(3);
    expect(token.stats()).toEqual({ hits: 1, loads: 3, loadErrors: 0 });
  });

  it("keeps nothing when the TTL function answers no time, something other than a number, or throws", async () => {
    const answers: unknown[] = [0, -5, Number.NaN, "60s", undefined];
    let loads = 0;
    const entitlement = lazy(() => ++loads, {
      ttl: () => answers[loads - 1] as number,
    });
    for (let i = 1; i <= answers.length; i++) {
      expect(entitlement.get()).toBe(i); // the caller of each load still gets its value
      expect(entitlement.peek()).toBeUndefined();
    }
    expect(entitlement.stats()).toEqual({ hits: 0, loads: 5, loadErrors: 0 });

    const broken = lazy(() => Promise.resolve("value"), {
      ttl: () => {
        throw new Error("no expiry field");
      },
    });
    await expect(broken.get()).resolves.toBe("value");
    expect(broken.peek()).toBeUndefined();
    expect(broken.stats()).toEqual({ hits: 0, loads: 1, loadErrors: 1 });
  });

  it("invalidate forgets the value, and a load in flight is not kept", async () => {
    let calls = 0;
    let release: (() => void) | undefined;
    const settings = lazy(
      () =>
        new Promise<number>((resolve) => {
          const n = ++calls;
          release = () => resolve(n);
        }),
    );
    expect(settings.invalidate()).toBe(false);
    const stale = settings.get();
    expect(settings.invalidate()).toBe(true);
    release?.();
    expect(await stale).toBe(1); // its waiters still get it
    expect(settings.peek()).toBeUndefined();
    const fresh = settings.get();
    release?.();
    expect(await fresh).toBe(2);
    expect(settings.invalidate()).toBe(true);
    expect(settings.peek()).toBeUndefined();
  });

  it("names a bad option, what was expected and how to fix it", () => {
    expect(() => lazy(() => 1, { ttl: 0 })).toThrow(
      "lazy(): Expected `ttl` to be a finite number > 0, got `0` (number). Pass e.g. { ttl: 60_000 }",
    );
    expect(() => lazy(() => 1, { ttl: 0 })).toThrow(PerflayerConfigError);
    expect(() => lazy(() => 1, { tll: 5 } as never)).toThrow("Unknown option `tll`");
    expect(() => lazy(42 as never)).toThrow(
      "lazy(): Expected `load` to be a function, got `42` (number).",
    );
    expect(() => lazy(() => 1, { clock: {} as never })).toThrow("Expected `clock` to be a Clock");
  });
});
