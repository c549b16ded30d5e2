// An isolated benchmark: each contender in processes of its own, two of each, used in turn.
import { defineSuite } from "@perflayer/bench-gate";

const spin = (n: number): number => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.sqrt(i);
  return sum;
};

export const suite = defineSuite({
  name: "isolated",
  benchmarks: [
    {
      name: "pid per side",
      anchor: "the same work",
      isolate: true,
      forks: 2,
      target: { maxRatio: 1.5 },
      contenders: {
        ours: ({ loop }) => {
          const measure = loop(() => spin(200));
          return async () => ({ value: (await measure()) as number, peakMb: process.pid });
        },
        anchor: ({ loop }) => {
          const measure = loop(() => spin(200));
          return async () => ({ value: (await measure()) as number, peakMb: process.pid });
        },
      },
    },
  ],
});
