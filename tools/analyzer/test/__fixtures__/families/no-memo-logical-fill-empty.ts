// A group per name created empty with `??=` and filled by the callers: a registry, not a memo.
// expect: none
const groups: Record<string, string[]> = {};

export function groupFor(name: string): string[] {
  groups[name] ??= [];
  return groups[name];
}

export function join(name: string, member: string): void {
  groupFor(name).push(member);
}
