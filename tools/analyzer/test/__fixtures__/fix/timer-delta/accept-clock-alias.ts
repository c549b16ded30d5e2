// The clock is read through a module alias of process.hrtime.bigint, found by its binding.
const hrtimeBigint = process.hrtime.bigint;

export async function readConfig(
  read: (path: string) => Promise<string>,
  debug: (format: string, ...args: unknown[]) => void,
): Promise<string> {
  const readStart = hrtimeBigint();
  const text = await read("config.json");
  debug("config read in %t", hrtimeBigint() - readStart);
  return text;
}
