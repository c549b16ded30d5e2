/** A request path, split the way the services route it. */
export interface Route {
  /** The path without its query string, e.g. `/products/42`. */
  readonly path: string;
  /** The first segment, e.g. `products`. */
  readonly resource: string | undefined;
  /** The second segment (the raw id), e.g. `42`. */
  readonly raw: string | undefined;
  /** The metrics label: `/products/:id`, `/users/:id`, `/health`, `/metrics` or `other` (never an id). */
  readonly label: string;
}

/**
 * Splits a request URL into what the catalogue services route on, and the low-cardinality route
 * label their metrics carry (part of the shared contract: `http_requests_total{route}`).
 * @param url - `req.url`
 * @returns the route
 */
export function routeOf(url: string | undefined): Route {
  const path = (url ?? "/").split("?")[0] ?? "/";
  const [, resource, raw] = path.split("/");
  const label =
    resource === "products" || resource === "users"
      ? `/${resource}/:id`
      : path === "/health" || path === "/metrics"
        ? path
        : "other";
  return { path, resource, raw, label };
}
