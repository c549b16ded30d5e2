// Instructions benchmarks for the tests: a body with a known share of extra work, side by side and
// isolated, one whose measure was not made by loop(body), and a time benchmark in the same suite.
import { countedAndTimed, defineSuite } from "@perflayer/bench-gate";

// 20,000 warm-up calls rather than 200,000: the whole file is one batch in every run (the tests
// filter it), and under a busy test run each process under callgrind is slow.
const W = { warmupCalls: 20_000 };
const data = Array.from({ length: 1_000 }, (_, i) => i);
const sum = (n: number): number => {
  let total = 0;
  for (let i = 0; i < n; i++) total += data[i % 1_000] as number;
  return total;
};

export const suite = defineSuite({
  name: "instructions",
  benchmarks: [
    {
      name: "twice the work",
      measure: "instructions",
      anchor: "the work",
      target: { maxRatio: 1.5 },
      setup: ({ loop }) => ({ ours: loop(() => sum(400), W), anchor: loop(() => sum(200), W) }),
    },
    {
      name: "isolated, the same work",
      measure: "instructions",
      anchor: "the same work",
      isolate: true,
      target: { maxRatio: 1.1 },
      contenders: {
        ours: ({ loop }) => loop(() => sum(200), W),
        anchor: ({ loop }) => loop(() => sum(200), W),
      },
    },
    {
      name: "async: sum(400) against sum(200)",
      measure: "instructions",
      anchor: "the work, async",
      setup: ({ asyncLoop }) => ({
        ours: asyncLoop(async () => sum(400), W),
        anchor: asyncLoop(async () => sum(200), W),
      }),
    },
    ...countedAndTimed({
      name: "both modes",
      unit: "ns/op",
      anchor: "the same work",
      target: { maxRatio: 1.1 },
      setup: ({ loop }) => ({ ours: loop(() => sum(200), W), anchor: loop(() => sum(200), W) }),
    }),
    {
      name: "a negative warm-up",
      measure: "instructions",
      setup: ({ loop }) => ({ ours: loop(() => sum(200), { warmupCalls: -1 }) }),
    },
    {
      name: "not a loop",
      measure: "instructions",
      setup: () => ({ ours: () => sum(200) }),
    },
    {
      name: "in time",
      setup: ({ loop }) => ({ ours: loop(() => sum(200), W) }),
    },
  ],
});
