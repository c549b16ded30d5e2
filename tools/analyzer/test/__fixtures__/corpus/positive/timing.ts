// expect: monitoring/timing-delta
export async function handle(
  req: { url: string },
  log: { info(msg: string, data: unknown): void },
): Promise<void> {
  const start = Date.now();
  await process(req);
  log.info("handled", { url: req.url, ms: Date.now() - start });
}
declare function process(req: unknown): Promise<void>;
