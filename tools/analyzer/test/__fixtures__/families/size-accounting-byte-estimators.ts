// Log records are weighed before they are buffered: a record's byte size is estimated by hand
// (2 bytes per UTF-16 character, 8 per number, a fixed charge per object), field by field.
// expect: memory/size-accounting 4-38 elim 33 "3 hand-written byte-size estimators side by side"
export function recordWeight(record: {
  message?: string;
  fields?: Record<string, unknown>;
}): number {
  let weight = 24;
  if (record.message !== undefined) {
    weight += record.message.length * 2;
  }
  return weight + fieldsWeight(record.fields);
}

function fieldsWeight(fields: Record<string, unknown> | undefined): number {
  if (fields === undefined) return 0;
  let weight = 0;
  for (const [key, value] of Object.entries(fields)) {
    weight += key.length * 2;
    if (Array.isArray(value)) {
      weight += value.length * valueWeight(value[0]);
    } else {
      weight += valueWeight(value);
    }
  }
  return weight;
}

function valueWeight(value: unknown): number {
  if (typeof value === "string") {
    return value.length * 2;
  } else if (typeof value === "number") {
    return 8;
  } else if (typeof value === "boolean") {
    return 4;
  }
  return 100;
}

export class RecordBuffer {
  private readonly records: object[] = [];
  add(record: { message?: string }): void {
    this.records.push(record);
  }
}
