// An unref'd timer lets the process exit while the race waits; withTimeout's keeps it alive.
export async function shutdown(deactivate: () => Promise<void>): Promise<void> {
  const timeout = new Promise<void>((_resolve, reject) => {
    const t = setTimeout(() => reject(new Error("Timed out")), 5000);
    t.unref();
  });
  await Promise.race([deactivate(), timeout]);
}
