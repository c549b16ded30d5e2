// Numbers handed out: the count copied into a local, then bumped (a sequence in two statements),
// and a bumped count spliced into a generated name.
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
