// The absence test and the fill name different keys: not one memo of `id`.
const names = new Map<string, string>();

export function nameOf(id: string): string {
  if (!names.has(id)) {
    names.set(id.trim(), id.toUpperCase());
  }
  return names.get(id) ?? "";
}
