// Get-or-create of state per key: the entry handed out is changed in place by the file's callers
// (a metric point's value overwritten, a per-request record's counters stepped). That is state
// kept per key, not a cached result. The memo and the index at the end are reported.
// expect: caching/memoize 61-70 elim 6 "computed on a miss"
// expect: caching/memoize 85-95 elim 7 "computed on a miss"
interface Point {
  readonly labels: string;
  value: number;
  count: number;
}

export class Aggregator {
  private readonly points = new Map<string, Point>();

  private findOrCreate(labels: string, initial: () => Pick<Point, "value" | "count">): Point {
    let point = this.points.get(labels);
    if (!point) {
      point = { labels, ...initial() };
      this.points.set(labels, point);
    }
    return point;
  }

  recordLast(labels: string, value: number): void {
    const point = this.findOrCreate(labels, () => ({ value: 0, count: 0 }));
    point.value = value;
  }

  recordSum(labels: string, value: number): void {
    this.findOrCreate(labels, () => ({ value: 0, count: 0 })).count++;
    const point = this.findOrCreate(labels, () => ({ value: 0, count: 0 }));
    point.value += value;
  }
}

const perRequest = new WeakMap<object, { timeouts: number; lastRule: string | undefined }>();

function makeRecord(rule: string): { timeouts: number; lastRule: string | undefined } {
  return { timeouts: 0, lastRule: rule };
}

function recordFor(
  request: object,
  rule: string,
): { timeouts: number; lastRule: string | undefined } {
  let record = perRequest.get(request);
  if (!record) {
    record = makeRecord(rule);
    perRequest.set(request, record);
  }
  return record;
}

export function onTimeout(request: object, rule: string): void {
  const record = recordFor(request, rule);
  record.timeouts += 1;
  record.lastRule = rule;
}

// The near miss: a memo whose callers only read what it hands out.
const normalised = new Map<string, string>();

function normalise(path: string): string {
  let found = normalised.get(path);
  if (found === undefined) {
    found = path.split("/").filter(Boolean).join("/").toLowerCase();
    normalised.set(path, found);
  }
  return found;
}

export function samePath(a: string, b: string): boolean {
  const left = normalise(a);
  return left === normalise(b) && left.length > 0;
}

// The near miss: an index served only while it still matches its input, which the caller keeps
// in step as the input grows — a cache, still reported.
interface Index {
  readonly source: string[];
  length: number;
  readonly ids: Set<string>;
}

const indexes = new WeakMap<object, Index>();

function indexFor(owner: object, source: string[]): Index {
  const cached = indexes.get(owner);
  if (cached && cached.source === source && cached.length === source.length) {
    return cached;
  }
  const made: Index = { source, length: source.length, ids: new Set(source) };
  indexes.set(owner, made);
  return made;
}

export function append(owner: object, source: string[], id: string): void {
  const index = indexFor(owner, source);
  source.push(id);
  index.ids.add(id);
  index.length = source.length;
}
