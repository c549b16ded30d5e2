// `limit` workers started at once; each drains the iterator they all share, one upload at a time.
// expect: response/concurrency-limit 10-19 elim 10 "drains a source all workers share"
export async function uploadAll(
  files: readonly string[],
  upload: (file: string) => Promise<string>,
  limit: number,
): Promise<string[]> {
  const ids: string[] = [];
  const shared = files.values();
  async function work(source: Iterator<string> & Iterable<string>): Promise<void> {
    for (const file of source) {
      ids.push(await upload(file));
    }
  }
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(limit, files.length); i++) {
    workers.push(work(shared));
  }
  await Promise.all(workers);
  return ids;
}
