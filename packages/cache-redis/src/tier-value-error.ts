import { PerflayerError } from "@perflayer/core";
import type { PerflayerErrorOptions } from "@perflayer/core";

/**
 * A value the second tier cannot hold: larger than `maxValueBytes` (`ERR_TIER_VALUE_TOO_LARGE`),
 * or one its codec cannot encode (`ERR_TIER_CODEC`). `cache.set` throws it; a loaded value of that
 * kind is returned to its callers and kept in memory, but not shared through Redis.
 */
export class TierValueError extends PerflayerError {
  /**
   * @param code - `ERR_TIER_VALUE_TOO_LARGE` or `ERR_TIER_CODEC`
   * @param message - what, which cache and key, and how to fix it
   * @param options - the codec's error as `cause`
   */
  constructor(
    code: "ERR_TIER_VALUE_TOO_LARGE" | "ERR_TIER_CODEC",
    message: string,
    options?: PerflayerErrorOptions,
  ) {
    super(code, message, options);
    this.name = "TierValueError";
  }
}
