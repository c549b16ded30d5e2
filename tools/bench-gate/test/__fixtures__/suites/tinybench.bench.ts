// A team's existing tinybench file, run by bench-gate as it is, plus the targets it declares.
import { Bench } from "tinybench";

const data = Array.from({ length: 2_000 }, (_, i) => i);

export const bench = new Bench({ name: "tinybench file", time: 20, warmupTime: 5 })
  .add("join", () => data.join(","))
  .add("map + join", () => data.map(String).join(","))
  .add("sum", () => data.reduce((a, b) => a + b, 0));

export const targets = { join: { anchor: "map + join", target: { maxRatio: 1.2 } } };
