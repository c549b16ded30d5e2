// The memo's compute reads the loop's variable: made where the map is, it would not see it.
export function prefixed(groups: readonly (readonly string[])[]): string[] {
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const [index, group] of groups.entries()) {
    const label = (name: string): string => {
      const hit = seen.get(name);
      if (hit !== undefined) return hit;
      const made = `${index}:${name}`;
      seen.set(name, made);
      return made;
    };
    out.push(...group.map(label));
  }
  return out;
}
