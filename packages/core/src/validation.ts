import { PerflayerConfigError } from "./perflayer-error.js";

/**
 * Describes a received value for an error message: `` `0` (number) ``, `` `"x"` (string) ``,
 * `` `null` (null) ``, `` `[object]` (object) ``.
 *
 * @param value - anything
 * @returns a short, bounded description with its type
 */
export function describeValue(value: unknown): string {
  const type = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  let shown: string;
  switch (typeof value) {
    case "string":
      shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
      break;
    case "function":
      shown = `[function ${value.name || "anonymous"}]`;
      break;
    case "object":
      shown =
        value === null ? "null" : Array.isArray(value) ? `[array(${value.length})]` : "[object]";
      break;
    case "symbol":
      shown = value.toString();
      break;
    default:
      shown = String(value);
  }
  return `\`${shown}\` (${type})`;
}

/** The parts of a validation message: the house formula is what, expected, got, how to fix. */
export interface ExpectedMessage {
  /** The name of the option or argument, e.g. `max` or `options.ttl`. */
  readonly name: string;
  /** What was expected, e.g. `an integer >= 1`. */
  readonly expected: string;
  /** The value received. */
  readonly got: unknown;
  /** How to fix it, e.g. `Pass e.g. { max: 500 }.` */
  readonly fix?: string;
  /** Where it happened, e.g. `CacheManager.cache("users")`; prefixed to the message. */
  readonly context?: string;
}

/**
 * Formats the house validation message.
 *
 * @example
 * ```ts
 * formatExpected({ name: "max", expected: "an integer >= 1", got: 0, fix: "Pass e.g. { max: 500 }." });
 * // "Expected `max` to be an integer >= 1, got `0` (number). Pass e.g. { max: 500 }."
 * ```
 * @param parts - what, expected, got, fix and context
 * @returns the message
 */
export function formatExpected(parts: ExpectedMessage): string {
  const prefix = parts.context === undefined ? "" : `${parts.context}: `;
  const fix = parts.fix === undefined ? "" : ` ${parts.fix}`;
  return `${prefix}Expected \`${parts.name}\` to be ${parts.expected}, got ${describeValue(parts.got)}.${fix}`;
}

/**
 * Creates a {@link PerflayerConfigError} with the house message.
 *
 * @param parts - what, expected, got, fix and context
 * @param code - defaults to `ERR_INVALID_OPTION`
 * @returns the error, for the caller to throw
 */
export function invalid(parts: ExpectedMessage, code = "ERR_INVALID_OPTION"): PerflayerConfigError {
  return new PerflayerConfigError(code, formatExpected(parts));
}

/** Bounds and wording shared by the number assertions. */
export interface NumberRule {
  /** The name of the option, e.g. `ttl`. */
  readonly name: string;
  /** Smallest allowed value (inclusive). */
  readonly min?: number;
  /** Largest allowed value (inclusive). */
  readonly max?: number;
  /** When true, `min` itself is not allowed. */
  readonly minExclusive?: boolean;
  /** How to fix it. */
  readonly fix?: string;
  /** Where it happened. */
  readonly context?: string;
}

function bounds(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`${rule.minExclusive === true ? ">" : ">="} ${rule.min}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  return parts.length === 0 ? "" : ` ${parts.join(" and ")}`;
}

function inBounds(value: number, rule: NumberRule): boolean {
  if (
    rule.min !== undefined &&
    (rule.minExclusive === true ? value <= rule.min : value < rule.min)
  ) {
    return false;
  }
  return rule.max === undefined || value <= rule.max;
}

/**
 * Asserts a finite number within bounds.
 *
 * @param value - the value received
 * @param rule - name, bounds and fix
 * @returns the value, typed as number
 */
export function assertNumber(value: unknown, rule: NumberRule): number {
  if (typeof value !== "number" || !Number.isFinite(value) || !inBounds(value, rule)) {
    throw invalid({ ...rule, expected: `a finite number${bounds(rule)}`, got: value });
  }
  return value;
}

/**
 * Asserts an integer within bounds (`Infinity` is allowed only when `max` is not set and
 * `allowInfinity` is true).
 *
 * @param value - the value received
 * @param rule - name, bounds and fix
 * @returns the value, typed as number
 */
export function assertInteger(
  value: unknown,
  rule: NumberRule & { readonly allowInfinity?: boolean },
): number {
  const ok =
    typeof value === "number" &&
    (Number.isInteger(value) || (rule.allowInfinity === true && value === Infinity)) &&
    inBounds(value, rule);
  if (!ok) throw invalid({ ...rule, expected: `an integer${bounds(rule)}`, got: value });
  return value;
}

/**
 * Asserts a function.
 *
 * @typeParam F - the function type the caller expects
 * @param value - the value received
 * @param rule - name, fix and context
 * @returns the value, typed as a function
 */
export function assertFunction<F extends (...args: never[]) => unknown>(
  value: unknown,
  rule: Omit<ExpectedMessage, "expected" | "got">,
): F {
  if (typeof value !== "function") throw invalid({ ...rule, expected: "a function", got: value });
  return value as F;
}

/**
 * Asserts an optional `AbortSignal`: `undefined` passes through.
 *
 * @param value - the value received
 * @param rule - name, fix and context
 * @returns the signal, or undefined
 */
export function assertAbortSignal(
  value: unknown,
  rule: Omit<ExpectedMessage, "expected" | "got">,
): AbortSignal | undefined {
  if (value !== undefined && !(value instanceof AbortSignal))
    throw invalid({ ...rule, expected: "an AbortSignal", got: value });
  return value;
}

/**
 * Asserts one of a fixed set of string values.
 *
 * @typeParam T - the accepted values
 * @param value - the value received
 * @param allowed - the accepted values
 * @param rule - name, fix and context
 * @returns the value, narrowed to the union
 */
export function assertOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  rule: Omit<ExpectedMessage, "expected" | "got">,
): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw invalid({
      ...rule,
      expected: `one of ${allowed.map((a) => `"${a}"`).join(", ")}`,
      got: value,
    });
  }
  return value as T;
}

/**
 * Asserts that an options object has no keys other than `known`, catching typos such as `ttl` vs
 * `tll` that would otherwise be ignored silently.
 *
 * @param options - the options object received
 * @param known - the accepted keys
 * @param context - where it happened, e.g. `new CacheManager()`
 */
export function assertKnownKeys(options: object, known: readonly string[], context: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new PerflayerConfigError(
        "ERR_INVALID_OPTION",
        `${context}: Unknown option \`${key}\`. Expected one of ${known.map((k) => `\`${k}\``).join(", ")}; check the spelling.`,
      );
    }
  }
}
