// Setup timed into a module variable that another function reads into the run's durations: the
// mark and the store are the timer; the read elsewhere is the run's own code.
// expect: monitoring/timer-delta 11-13 elim 2 "elapsed time"
let environmentTime = 0;

interface State {
  durations: { environment: number };
}

export async function setupEnvironment(load: () => Promise<void>): Promise<void> {
  const startTime = performance.now();
  await load();
  environmentTime = performance.now() - startTime;
}

export function runTests(state: State): void {
  state.durations.environment = environmentTime;
}
