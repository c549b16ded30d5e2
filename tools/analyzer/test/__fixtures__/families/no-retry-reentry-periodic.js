// A maintenance task rescheduled after a success and after a failure alike: periodic work, not a
// retry of the failure (the rejection path re-arms the same timer the value path does).
// expect: none
export function maintain(pool, sweep, log) {
  let timer = null;
  const every = 30000;

  const run = () => {
    sweep().then(
      () => {
        if (pool.active) timer = setTimeout(run, every);
      },
      (error) => {
        log(`sweep failed: ${error.message}`);
        if (pool.active) timer = setTimeout(run, every);
      },
    );
  };

  timer = setTimeout(run, every);
  return () => clearTimeout(timer);
}
