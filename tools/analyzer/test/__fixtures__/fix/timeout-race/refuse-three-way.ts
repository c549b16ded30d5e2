// A race of two replicas against a timer: not one operation bounded in time.
export function fastest<T>(a: Promise<T>, b: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    a,
    b,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("both slow")), ms)),
  ]);
}
