export { Backend, NotFoundError } from "./backend.js";
export type { BackendOptions, Product, User } from "./backend.js";
export { burst } from "./load.js";
export type { BurstOptions } from "./load.js";
export { HttpError, parseId } from "./http-error.js";
export { INSTALL_REDIS_SERVER, redisServerInstalled, startRedisServer } from "./redis-server.js";
export type { LocalRedis } from "./redis-server.js";
