// One load promise per resource href, made on first use with `||=` and shared by later callers.
// expect: caching/promise-cache 3-9 elim 5 "the promise itself is kept, so later callers share its result"
const loading: Record<string, Promise<Event> | undefined> = Object.create(null);

export function whenLoaded(el: HTMLElement, href: string, onLoad?: () => void): void {
  let promise = (loading[href] ||= new Promise<Event>((resolve, reject) => {
    el.addEventListener("load", resolve);
    el.addEventListener("error", reject);
  }));
  if (onLoad) {
    promise = promise.then(onLoad);
  }
  promise.catch(() => {});
}
