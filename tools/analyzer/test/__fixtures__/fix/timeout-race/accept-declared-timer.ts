// The timer promise is declared just before the race, its callback named first (hapi's toolkit).
export async function bounded<T>(method: Promise<T>, options: { timeout: number; name: string }): Promise<T> {
  const timer = new Promise<never>((resolve, reject) => {
    const handler = () => {
      reject(new Error(`${options.name} timed out`));
    };

    setTimeout(handler, options.timeout);
  });

  return await Promise.race([timer, method]);
}
