// The timer promise is made before the race and guards a second read too: it cannot be inlined.
export async function readBoth(
  head: () => Promise<string>,
  body: () => Promise<string>,
  ms: number,
): Promise<string> {
  const deadline = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error("slow")), ms),
  );
  const first = await Promise.race([head(), deadline]);
  return first + (await Promise.race([body(), deadline]));
}
