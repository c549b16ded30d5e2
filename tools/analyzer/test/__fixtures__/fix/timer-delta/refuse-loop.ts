// The elapsed time is read on every pass of a loop the start mark is outside of.
export async function drain(items: string[], send: (item: string) => Promise<void>): Promise<void> {
  const begin = Date.now();
  for (const item of items) {
    await send(item);
    console.log(`${item} sent after ${Date.now() - begin} ms`);
  }
}
