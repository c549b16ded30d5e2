// A small suite for the tests: a met target, a clearly missed one, an unanchored figure and one that throws.
import { defineSuite } from "@perflayer/bench-gate";

const data = Array.from({ length: 2_000 }, (_, i) => i);
const spin = (n: number): number => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.sqrt((data[i % data.length] as number) + i);
  return sum;
};

export const suite = defineSuite({
  name: "demo",
  benchmarks: [
    {
      name: "a twentieth of the work",
      anchor: "full work",
      target: { minSpeedup: 1.5 },
      setup: ({ loop }) => ({ ours: loop(() => spin(100)), anchor: loop(() => spin(2_000)) }),
    },
    {
      name: "a hundred times the work",
      anchor: "the work",
      target: { maxRatio: 1.2 },
      setup: ({ loop }) => ({ ours: loop(() => spin(20_000)), anchor: loop(() => spin(200)) }),
    },
    {
      name: "alone",
      unit: "ms",
      setup: () => ({
        ours: () => {
          const t = performance.now();
          spin(20_000);
          return performance.now() - t;
        },
      }),
    },
    {
      name: "throws",
      setup: () => {
        throw new Error("setup failed on purpose");
      },
    },
    {
      name: "full only",
      quick: false,
      setup: ({ loop }) => ({ ours: loop(() => spin(10)) }),
    },
  ],
});
