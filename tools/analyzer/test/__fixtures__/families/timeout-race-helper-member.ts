// A request raced against the promise of a timeout helper kept in a local: the helper arms the
// timer and hands back its promise and handle (a timeout of its own); the race takes the local,
// the list and the `try` that clears the handle through the same local.
// expect: response/timeout 6-14 elim 9 "whose callback fails `fail` with an error"
// expect: response/timeout-race 17-28 elim 11 "`Promise.race` of the work against a timer"
function expireAfter(seconds: number, label: string): { promise: Promise<never>; handle?: ReturnType<typeof setTimeout> } {
  const box: { promise: Promise<never>; handle?: ReturnType<typeof setTimeout> } = {
    promise: new Promise<never>(() => undefined),
  };
  box.promise = new Promise<never>((_, fail) => {
    box.handle = setTimeout(() => fail(new Error(`${label} took too long`)), seconds * 1000);
  });
  return box;
}

export async function call(url: string, seconds: number): Promise<unknown> {
  const expiry = expireAfter(seconds, url);
  const answer = fetch(url).then((res) => res.json());
  const outcomes = [answer, expiry.promise];
  try {
    return await Promise.race(outcomes);
  } catch (error) {
    throw new Error(`request to ${url} failed`, { cause: error });
  } finally {
    if (expiry.handle !== undefined) {
      clearTimeout(expiry.handle);
    }
  }
}
