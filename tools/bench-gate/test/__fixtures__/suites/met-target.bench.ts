// One benchmark whose target is met whatever the machine's load: both sides report their own
// samples (1–1.1 against 20–21 ms), so the bin's exit code on a met target is what is tested, not
// how fast a busy machine runs a loop (timed, a 20× difference in work was still inconclusive at
// load 25: one preempted sample widened the interval past the target).
import { defineSuite } from "@perflayer/bench-gate";

export const suite = defineSuite({
  name: "met-target",
  benchmarks: [
    {
      name: "a twentieth of the time",
      unit: "ms",
      anchor: "the whole time",
      target: { minSpeedup: 1.5 },
      setup: () => ({ ours: () => 1 + Math.random() / 10, anchor: () => 20 + Math.random() }),
    },
  ],
});
