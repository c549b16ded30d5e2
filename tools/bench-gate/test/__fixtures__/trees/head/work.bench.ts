// The head tree's version of a suite: the same work made 40× cheaper (so that even a heavily
// loaded machine decides "improvement holds"), and a new benchmark.
import { defineSuite } from "@perflayer/bench-gate";

const spin = (n: number): number => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.sqrt(i);
  return sum;
};

export const suite = defineSuite({
  name: "work",
  benchmarks: [
    { name: "the work", setup: ({ loop }) => ({ ours: loop(() => spin(50)) }) },
    { name: "new in head", setup: ({ loop }) => ({ ours: loop(() => spin(10)) }) },
  ],
});
