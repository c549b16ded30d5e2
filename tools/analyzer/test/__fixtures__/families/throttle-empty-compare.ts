// A trailing throttle whose guard compares the handle with null: the first call arms the timer,
// later calls only swap the arguments, the timer runs once with the latest ones.
// expect: response/throttle 9-14 elim 6 "armed only while `timer` is empty"
export function trailing<A extends unknown[]>(run: (...args: A) => void, wait = 100) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let latest: A;
  return (...args: A): void => {
    latest = args;
    if (timer === null) {
      timer = setTimeout(() => {
        run(...latest);
        timer = null;
      }, wait);
    }
  };
}
