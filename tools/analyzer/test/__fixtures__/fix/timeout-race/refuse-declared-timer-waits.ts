// The timer starts before a wait: withTimeout would start it only at the race.
export async function drain(flush: () => Promise<void>, close: () => Promise<void>): Promise<void> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error("Timed out")), 5_000),
  );
  await flush();
  await Promise.race([close(), timeout]);
}
