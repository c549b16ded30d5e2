// A registry: one logger made per name by a factory and kept under a registry-like name, and
// a session per id whose store is walked to close them all.
// expect: none
interface Closable {
  close(): void;
}

declare function createLogger(name: string): Closable;
declare function restoreSession(id: string): Closable;

const loggers = new Map<string, Closable>();

export function loggerFor(name: string): Closable {
  let logger = loggers.get(name);
  if (logger === undefined) {
    logger = createLogger(name);
    loggers.set(name, logger);
  }
  return logger;
}

const sessions = new Map<string, Closable>();

export function sessionFor(id: string): Closable {
  let session = sessions.get(id);
  if (session === undefined) {
    session = restoreSession(id.trim());
    sessions.set(id, session);
  }
  return session;
}

export function closeAll(): void {
  for (const s of sessions.values()) s.close();
}
