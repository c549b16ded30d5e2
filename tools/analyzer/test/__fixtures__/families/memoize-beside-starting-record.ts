// A per-request record of starting values, made by a function of the file and handed to code
// elsewhere that fills it in; it is dropped when the request ends. Nothing is worked out from the
// key, so it is state per request — neither the get-or-create nor the delete is a cache. The
// labels below are a memo: the value on a miss is made from the key.
// expect: caching/memoize 44-51 elim 5 "computed on a miss"
declare function addDurations(record: RequestRecord, metrics: object): void;

interface RequestRecord {
  duration: number;
  timeouts: number;
  errorCode: number | null;
}

const records = new WeakMap<object, RequestRecord>();

function newRecord(): RequestRecord {
  return { duration: 0, timeouts: 0, errorCode: null };
}

function recordOf(request: object): RequestRecord {
  let record = records.get(request);
  if (!record) {
    record = newRecord();
    records.set(request, record);
  }
  return record;
}

export function onMetrics(request: object, metrics: object): void {
  addDurations(recordOf(request), metrics);
}

export function onEnd(request: object): void {
  records.delete(request);
}

const labels = new Map<string, { readonly text: string; readonly width: number }>();

function makeLabel(name: string): { readonly text: string; readonly width: number } {
  const text = name.replace(/[-_]+/g, " ").trim().toUpperCase();
  return { text, width: text.length };
}

export function labelOf(name: string): { readonly text: string; readonly width: number } {
  let label = labels.get(name);
  if (!label) {
    label = makeLabel(name);
    labels.set(name, label);
  }
  return label;
}
