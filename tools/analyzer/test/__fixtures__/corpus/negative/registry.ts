// A Map used as a registry: no expiry, no bound, not a cache.
const handlers = new Map<string, (payload: unknown) => void>();
export function on(event: string, handler: (payload: unknown) => void): void {
  handlers.set(event, handler);
}
export function emit(event: string, payload: unknown): void {
  handlers.get(event)?.(payload);
}
