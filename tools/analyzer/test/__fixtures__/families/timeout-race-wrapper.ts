// Races whose timer side is a local promise: the wrapper made for the race (the work raced is its
// parameter) is one finding, the whole function; a race inside a longer method takes the timer
// side's declaration and the `try` that clears its timer, not the method.
// expect: response/timeout-race 7-23 elim 17 "`Promise.race`"
// expect: response/timeout-race 36-44 elim 9 "`Promise.race`"

export async function settleWithin<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const expiry = new Promise<never>((_, fail) => {
    handle = setTimeout(() => fail(new Error(`no answer in ${ms} ms`)), ms);
  });
  try {
    const value = await Promise.race([work, expiry]);
    clearTimeout(handle);
    return value;
  } catch (error) {
    clearTimeout(handle);
    if (error instanceof Error && error.message.startsWith("no answer")) {
      return undefined;
    }
    throw error;
  }
}

export class Gateway {
  private readonly seen: string[] = [];

  constructor(
    private readonly send: (frame: string) => Promise<string>,
    private readonly ms: number,
  ) {}

  async request(frame: string): Promise<string> {
    this.seen.push(frame);
    const trimmed = frame.trim();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error("gateway timed out")), this.ms);
    });
    try {
      return await Promise.race([this.send(trimmed), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
