// A blocking wait moves its wake-up earlier once a probe answers with the next due time: the timer
// is re-armed once, in the probe's promise step, not on every call.
// expect: none
export function waitForJob(
  probe: () => Promise<number | undefined>,
  blockMs: number,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let timer = setTimeout(resolve, blockMs);
    probe()
      .then((due) => {
        if (due === undefined) return;
        const dueIn = due - Date.now();
        if (dueIn < blockMs) {
          clearTimeout(timer);
          timer = setTimeout(resolve, dueIn);
        }
      })
      .catch(() => undefined);
  });
}
