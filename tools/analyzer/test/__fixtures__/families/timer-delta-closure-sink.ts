// Elapsed times written from a closure into a `let` of the enclosing function (in `finally`, on a
// stream's first chunk) and reported there; a start mark handed on by name in an options object
// to the function that reads it.
// expect: monitoring/timer-delta 15-19 elim 2 "goes to `toolMs = performance.now() - start`"
// expect: monitoring/timer-delta 28-35 elim 2 "start mark `const started = performance.now();`"
// expect: monitoring/timer-delta 39-39 elim 1 "start mark `const callStart = performance.now();`"
// expect: monitoring/timer-delta 52-52 elim 1 "elapsed time `performance.now() - callStart`"
export async function runTool(
  run: (body: () => Promise<void>) => Promise<void>,
  work: () => Promise<string>,
): Promise<{ output: string; toolMs: number }> {
  let output = "";
  let toolMs = 0;
  await run(async () => {
    const start = performance.now();
    try {
      output = await work();
    } finally {
      toolMs = performance.now() - start;
    }
  });
  return { output, toolMs };
}

export function firstChunk(source: string[], onDone: (info: { msToFirst?: number }) => void): void {
  let msToFirst: number | undefined;
  let first = true;
  const started = performance.now();
  for (const chunk of source) {
    if (first && chunk.length > 0) {
      msToFirst = performance.now() - started;
      first = false;
    }
  }
  onDone({ msToFirst });
}

export function call(stream: string[], log: (ms: number) => void): void {
  const callStart = performance.now();
  transform({ stream, callStart, log });
}

function transform({
  stream,
  callStart,
  log,
}: {
  stream: string[];
  callStart: number;
  log: (ms: number) => void;
}): void {
  if (stream.length > 0) log(performance.now() - callStart);
}
