// A crash handler (its parameter is read as an error) decides whether to restart and runs the
// start again from a timer: the handler is handed back to `start`, so the timer re-enters it.
// expect: response/retry-backoff 19-24 elim 5 "the timer runs `onCrash` again"
export function createConsumer(runner, log) {
  let restartTimer = null;

  const start = async (onCrash) => {
    try {
      await runner.run();
    } catch (e) {
      await onCrash(e);
    }
  };

  const onCrash = async (e) => {
    log(`crashed: ${e.message}`);
    await runner.stop();

    const restartable = e.retriable === true;
    const restart = restartable && runner.options.restartOnFailure !== false;
    if (restart) {
      const delay = e.retryTime ?? 300;
      restartTimer = setTimeout(() => start(onCrash), delay);
    }
  };

  return {
    run: () => start(onCrash),
    stop: () => clearTimeout(restartTimer),
  };
}
