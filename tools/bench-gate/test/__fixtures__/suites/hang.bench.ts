// A suite whose only benchmark never finishes (a timer keeps the process alive), for the timeout.
import { defineSuite } from "@perflayer/bench-gate";

export const suite = defineSuite({
  name: "hang",
  benchmarks: [
    {
      name: "never settles",
      setup: () => ({ ours: () => new Promise<number>(() => void setInterval(() => {}, 1_000)) }),
    },
  ],
});
