import picomatch from "picomatch";
import { didYouMean } from "./did-you-mean.js";

/** The part of JSON Schema (draft-07) the shipped config schema uses. */
export interface SchemaNode {
  readonly type?: "object" | "array" | "string" | "boolean";
  readonly enum?: readonly string[];
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean;
  readonly items?: SchemaNode;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly anyOf?: readonly SchemaNode[];
  /** `glob`: a picomatch pattern. */
  readonly format?: string;
  /** arch-check's own keyword: what names the string must be (checked against the config). */
  readonly "x-names"?: string;
}

/** A string the schema says names something (an element, a package, a rule), with its JSON path. */
export interface NameRef {
  /** `$.elements[0].allow[1]` */
  readonly path: string;
  /** The kind from `x-names`. */
  readonly kind: string;
  /** The name written. */
  readonly value: string;
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
}

/**
 * What is wrong with a glob: unbalanced brackets, braces or parentheses, or an empty pattern
 * (picomatch accepts all of these silently and then matches nothing).
 * @param glob - the pattern
 * @returns the problem, or undefined when it is fine
 */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() === "") return "empty glob";
  const closing: Record<string, string> = { "[": "]", "{": "}", "(": ")" };
  const stack: string[] = [];
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === "\\") i++;
    else if (stack[stack.length - 1] === "]" && ch !== "]") continue;
    else if (ch in closing) stack.push(closing[ch] as string);
    else if (ch === "]" || ch === "}" || ch === ")") {
      if (stack.pop() !== ch) return `unbalanced "${ch}"`;
    }
  }
  if (stack.length > 0)
    return `"${stack[stack.length - 1] === "]" ? "[" : stack[stack.length - 1] === "}" ? "{" : "("}" is never closed`;
  try {
    picomatch.makeRe(glob);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

/**
 * Validates a value against the shipped schema: types, enums, required and unknown keys (with a
 * did-you-mean), array and string lengths, `anyOf` of required keys, and globs. Strings marked
 * `x-names` are collected for the caller to check against the config and the workspace.
 * @param value - the parsed JSON
 * @param schema - the schema node
 * @param path - the JSON path of `value`
 * @param problems - where problems are added, one line each
 * @param names - where name references are added
 */
export function checkSchema(
  value: unknown,
  schema: SchemaNode,
  path: string,
  problems: string[],
  names: NameRef[],
): void {
  if (schema.enum !== undefined) {
    if (typeof value !== "string" || !schema.enum.includes(value))
      problems.push(
        `${path}: expected one of ${schema.enum.map((e) => `"${e}"`).join(", ")}, got ${JSON.stringify(value)}${typeof value === "string" ? didYouMean(value, schema.enum) : ""}`,
      );
    return;
  }
  if (schema.type !== undefined && kindOf(value) !== schema.type) {
    problems.push(
      `${path}: expected ${schema.type === "array" ? "an" : "a"} ${schema.type}, got ${kindOf(value)} ${JSON.stringify(value)?.slice(0, 40) ?? ""}`.trimEnd(),
    );
    return;
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      problems.push(`${path}: expected a non-empty string`);
    if (schema.format === "glob") {
      const problem = globProblem(value);
      if (problem !== undefined) problems.push(`${path}: invalid glob "${value}": ${problem}`);
    }
    if (schema["x-names"] !== undefined) names.push({ path, kind: schema["x-names"], value });
  } else if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      problems.push(`${path}: expected at least ${schema.minItems} item(s)`);
    if (schema.items !== undefined)
      value.forEach((item, i) =>
        checkSchema(item, schema.items as SchemaNode, `${path}[${i}]`, problems, names),
      );
  } else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const known = Object.keys(schema.properties ?? {});
    for (const key of schema.required ?? [])
      if (!(key in record)) problems.push(`${path}.${key}: required`);
    if (
      schema.anyOf !== undefined &&
      !schema.anyOf.some((alt) => (alt.required ?? []).every((k) => k in record))
    )
      problems.push(
        `${path}: expected ${schema.anyOf.map((alt) => `"${(alt.required ?? []).join('", "')}"`).join(" or ")}`,
      );
    for (const [key, child] of Object.entries(record)) {
      const sub = schema.properties?.[key];
      if (sub !== undefined) checkSchema(child, sub, `${path}.${key}`, problems, names);
      else if (schema.additionalProperties === false)
        problems.push(
          `${path}.${key}: unknown key${didYouMean(key, known)} (expected one of ${known.join(", ")})`,
        );
    }
  }
}
