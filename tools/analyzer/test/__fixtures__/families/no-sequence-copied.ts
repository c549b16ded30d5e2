// Numbers handed out: the count copied into a local, then bumped (a sequence in two statements),
// a bumped count spliced into a generated name, a count bumped then copied into an id, and one
// handed to a call as it is bumped, and one bumped then spliced into a constraint name.
// expect: none
let instanceCount = 0;

export function nextLoggerName(name: string): string {
  const instanceId = instanceCount;
  instanceCount += 1;
  return `${name}:${instanceId}`;
}

export function normalise(route: string): string {
  let anonymous = 0;
  return route
    .replace(/:(\w+)/g, (_, name: string) => `{${name}}`)
    .replace(/\/\*\//g, () => `/{param${++anonymous}}/`);
}

export class Subscriptions<S extends { sid: number }> {
  private sidCounter = 0;
  private readonly subs = new Map<number, S>();
  private readonly order: number[] = [];
  private calls = 0;

  add(s: S): S {
    this.sidCounter++;
    s.sid = this.sidCounter;
    this.subs.set(s.sid, s);
    this.order.push(this.calls++);
    return s;
  }
}

export class TableCompiler {
  private checksCount = 0;

  constructor(private readonly tableName: string) {}

  check(predicate: string, constraintName?: string): string {
    let name = constraintName;
    if (name === undefined) {
      this.checksCount++;
      name = this.tableName + "_" + this.checksCount;
    }
    return `constraint ${name} check (${predicate})`;
  }
}
