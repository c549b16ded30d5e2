// The start mark is read twice (a log and a threshold): one timer end observes once.
export async function sync(run: () => Promise<void>): Promise<void> {
  const start = Date.now();
  await run();
  if (Date.now() - start > 1_000) console.warn("slow sync");
  console.log("sync took", Date.now() - start, "ms");
}
