// The base tree's version of a suite: the work takes 40 units.
import { defineSuite } from "@perflayer/bench-gate";

const spin = (n: number): number => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.sqrt(i);
  return sum;
};

export const suite = defineSuite({
  name: "work",
  benchmarks: [
    { name: "the work", setup: ({ loop }) => ({ ours: loop(() => spin(2_000)) }) },
    { name: "removed in head", setup: ({ loop }) => ({ ours: loop(() => spin(10)) }) },
  ],
});
