// Look-alikes of a race on a kept list: the first of several workers to answer (no timer side),
// and a list reassigned before the race (what is raced is not what was built).
// expect: none
export async function firstAnswer(mirrors: string[]): Promise<Response> {
  const attempts = mirrors.map((url) => fetch(url));
  return Promise.race(attempts);
}

export async function swapped(work: Promise<string>, fallback: Promise<string>): Promise<string> {
  let pool = [work];
  pool.push(fallback);
  pool = [work];
  return Promise.race(pool);
}
