// Library idle timeouts set with one argument (`server.setTimeout(ms)`): the library times the
// sockets, nothing here is a hand-rolled timeout.
// expect: none
import http from "node:http";

export function listen(app, options) {
  const server = http.createServer(app);
  server.setTimeout(options.timeout);
  server.headersTimeout = options.headersTimeout;
  return new Promise((resolve) => server.listen(options.port, () => resolve(server)));
}
