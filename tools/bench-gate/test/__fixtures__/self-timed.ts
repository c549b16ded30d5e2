// A self-timed benchmark script, as users write them: the work is measured in-process.
import { reportSample } from "../../src/runners.ts";

await reportSample(() => {
  let x = 0;
  for (let i = 0; i < 1e6; i++) x += i;
  return x;
});
