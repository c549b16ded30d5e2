// Start marks made as an entry by one function, handed on property by property to the handler
// that works out the duration (rounded) once the wrapped call is done: the entry's clock reading
// and the delta are two places of one timer.
// expect: monitoring/timer-delta 21-22 elim 1 "elapsed time `performance.now() - durationStart`"
// expect: monitoring/timer-delta 28-28 elim 1 "start mark `durationStart: performance.now()`"
export type Report = (event: { url: string; startTime: number; duration: number }) => void;

export function handleRequest(
  report: Report,
  url: string,
  startTime: number,
  durationStart: number,
): void {
  let path = url;
  try {
    const parsed = new URL(url);
    path = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    path = url;
  }
  const duration = Math.floor(performance.now() - durationStart);
  report({ url: path, startTime, duration });
}

function stamps(): { startTime: number; durationStart: number } {
  return {
    startTime: Date.now(),
    durationStart: performance.now(),
  };
}

export function wrapFetch(original: typeof fetch, report: Report): typeof fetch {
  return async (input, init) => {
    const taken = stamps();
    try {
      return await original(input, init);
    } finally {
      handleRequest(report, String(input), taken.startTime, taken.durationStart);
    }
  };
}
