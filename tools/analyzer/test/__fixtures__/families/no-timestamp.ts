// Timestamps stored as data: nothing is measured.
// expect: none
export function event(type: string, payload: unknown): { type: string; payload: unknown; at: number } {
  return { type, payload, at: Date.now() };
}
