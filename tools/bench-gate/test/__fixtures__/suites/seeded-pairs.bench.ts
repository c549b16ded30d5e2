// An isolated benchmark whose figure is set by V8's random seed: each process reports
// 1 + its first Math.random() (ours 1.2 times that), and its pid. Processes started with the same
// --random-seed draw the same number, so a pair of processes with the same seeds gives a ratio of
// exactly 1.2; processes with seeds of their own give figures that differ by up to 2×.
import { defineSuite } from "@perflayer/bench-gate";

const drawn = 1 + Math.random();

export const suite = defineSuite({
  name: "seeded pairs",
  benchmarks: [
    {
      name: "first random number",
      unit: "draws",
      anchor: "the same draw",
      isolate: true,
      forks: 3,
      target: { maxRatio: 1.25 },
      contenders: {
        ours: () => () => ({ value: 1.2 * drawn, peakMb: process.pid }),
        anchor: () => () => ({ value: drawn, peakMb: process.pid }),
      },
    },
  ],
});
