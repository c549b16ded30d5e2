// The head tree's version of a suite: the same work made 4× cheaper, and a new benchmark.
import { defineSuite } from "@perflayer/bench-gate";

const spin = (n: number): number => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.sqrt(i);
  return sum;
};

export const suite = defineSuite({
  name: "work",
  benchmarks: [
    { name: "the work", setup: ({ loop }) => ({ ours: loop(() => spin(500)) }) },
    { name: "new in head", setup: ({ loop }) => ({ ours: loop(() => spin(10)) }) },
  ],
});
