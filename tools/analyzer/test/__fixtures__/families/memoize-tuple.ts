// A per-object wrapper memoised with the setting it was built for, in a tuple; rebuilt when the
// setting changes.
// expect: caching/memoize 9-20 elim 6 "computed on a miss"
interface Sink {
  write(line: string): void;
}
type Level = "debug" | "info" | "off";

const wrappers = new WeakMap<Sink, [Level, Sink]>();
export function wrapperFor(sink: Sink, level: Level): Sink {
  const known = wrappers.get(sink);
  if (known && known[0] === level) {
    return known[1];
  }
  const wrapper = {
    write: (line: string) => {
      if (level !== "off") sink.write(`[${level}] ${line}`);
    },
  };
  wrappers.set(sink, [level, wrapper]);
  return wrapper;
}
