export { RedisTier } from "./redis-tier.js";
export type { RedisTierStats } from "./redis-tier.js";
export type { RedisTierOptions, ResolvedRedisTierOptions } from "./redis-tier-options.js";
export { jsonCodec, v8Codec } from "./codec.js";
export type { Codec } from "./codec.js";
export { TierValueError } from "./tier-value-error.js";
export type { FleetOutcome, TierErrorCause } from "./tier-metrics.js";
export { KeyvTier } from "./keyv-tier.js";
export type { KeyvLike, KeyvTierOptions } from "./keyv-tier.js";
