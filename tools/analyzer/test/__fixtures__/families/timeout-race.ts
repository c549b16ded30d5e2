// The query raced against a rejecting timer.
// expect: response/timeout-race 3-6 elim 3 "`Promise.race`"
const expire = (ms: number): Promise<never> =>
  new Promise((_, reject) => setTimeout(() => reject(new Error("query timed out")), ms));
export async function query(run: () => Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([run(), expire(ms)]);
}
