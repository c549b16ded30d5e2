import type { Server } from "node:http";

/**
 * How long every example server keeps an idle keep-alive connection open. Node's default (5 s) is
 * barely above the 4 s after which Node's `fetch` stops reusing an idle connection, so on a loaded
 * machine (timers late) a client could send a request on a socket the server was closing and read
 * "other side closed". The server outlasting its clients by far is the usual production setting
 * behind a load balancer too.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Applies {@link KEEP_ALIVE_TIMEOUT_MS} to a server (headers must be allowed to take longer).
 * @param server - an HTTP server before it listens
 * @returns the same server
 */
export function keepAliveLongerThanClients<S extends Server>(server: S): S {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  return server;
}
