interface Logger {
  logQueryTime(ms: number, sql: string): void;
}

export async function runQuery(
  logger: Logger,
  sql: string,
  run: (sql: string) => Promise<unknown[]>,
): Promise<unknown[]> {
  const queryStartTime = Date.now();
  const rows = await run(sql);
  // the end mark is read by the next statement only
  const queryEndTime = Date.now();
  const queryExecutionTime = queryEndTime - queryStartTime;
  logger.logQueryTime(queryExecutionTime, sql);
  return rows;
}
