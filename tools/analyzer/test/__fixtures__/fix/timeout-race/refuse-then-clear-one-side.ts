// `.then(ok, fail)` clears the timer only on success: a failed race leaves it running, which
// withTimeout would not.
export function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("slow")), ms);
    }),
  ]).then(
    (value) => {
      clearTimeout(timer);
      return value;
    },
    (error) => {
      console.error(error);
      throw error;
    },
  );
}
