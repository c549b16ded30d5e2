interface Logger {
  logQueryTime(ms: number, sql: string, at: number): void;
}

export async function runQuery(
  logger: Logger,
  sql: string,
  run: (sql: string) => Promise<unknown[]>,
): Promise<unknown[]> {
  const queryStartTime = Date.now();
  const rows = await run(sql);
  const queryEndTime = Date.now();
  const queryExecutionTime = queryEndTime - queryStartTime;
  logger.logQueryTime(queryExecutionTime, sql, queryEndTime);
  return rows;
}
