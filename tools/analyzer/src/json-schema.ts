import { describeValue } from "@perflayer/core";

/** The part of JSON Schema (draft-07) that perflayer's config schemas use. */
export interface JsonSchema {
  readonly $schema?: string;
  readonly $id?: string;
  readonly $ref?: string;
  readonly title?: string;
  readonly description?: string;
  readonly examples?: readonly unknown[];
  readonly type?: "object" | "array" | "string" | "boolean" | "number" | "integer";
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly enum?: readonly unknown[];
  readonly definitions?: Readonly<Record<string, JsonSchema>>;
}

/** Every keyword {@link validateJson} understands (a schema using another one is a bug). */
export const SUPPORTED_KEYWORDS: readonly string[] = [
  "$schema",
  "$id",
  "$ref",
  "title",
  "description",
  "examples",
  "type",
  "properties",
  "additionalProperties",
  "required",
  "items",
  "minItems",
  "minLength",
  "pattern",
  "enum",
  "definitions",
];

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (schema.$ref === undefined) return schema;
  const name = /^#\/definitions\/(.+)$/.exec(schema.$ref)?.[1];
  const target = name === undefined ? undefined : root.definitions?.[name];
  if (target === undefined) throw new Error(`Unresolvable $ref ${schema.$ref} in the schema.`);
  const { $ref: _ref, ...rest } = schema;
  return { ...target, ...rest };
}

/** What a schema expects, in words: "an array of non-empty strings", "true or false". */
function describe(schema: JsonSchema, root: JsonSchema, plural = false): string {
  const s = resolveRef(schema, root);
  if (s.enum !== undefined) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  switch (s.type) {
    case "string": {
      const base = (s.minLength ?? 0) > 0 ? "non-empty string" : "string";
      const pattern = s.pattern === undefined ? "" : ` matching /${s.pattern}/`;
      return plural ? `${base}s${pattern}` : `a ${base}${pattern}`;
    }
    case "array":
      return `${plural ? "arrays" : "an array"} of ${s.items === undefined ? "values" : describe(s.items, root, true)}`;
    case "boolean":
      return plural ? "booleans" : "true or false";
    case "object":
      return plural ? "objects" : "an object";
    case "integer":
      return plural ? "integers" : "an integer";
    case "number":
      return plural ? "numbers" : "a number";
    default:
      return plural ? "values" : "a value";
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] as number;
}

function pathOf(parent: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Validates JSON data against a schema (the subset in {@link SUPPORTED_KEYWORDS}), collecting
 * one message per mistake in the house formula, each naming its JSON path: "Expected
 * `$.exclude` to be an array of non-empty strings, got `"docs/**"` (string). Pass e.g. …".
 * Unknown keys get the closest known key as a suggestion.
 * @param schema - the schema
 * @param data - parsed JSON
 * @param at - the name of the data's root in messages
 * @returns the problems (empty when valid)
 */
export function validateJson(schema: JsonSchema, data: unknown, at = "$"): string[] {
  const problems: string[] = [];
  const visit = (raw: JsonSchema, value: unknown, path: string): void => {
    const s = resolveRef(raw, schema);
    const example = s.examples?.[0];
    const fix = example === undefined ? "" : ` Pass e.g. ${JSON.stringify(example)}.`;
    const wrong = (): void => {
      problems.push(
        `Expected \`${path}\` to be ${describe(s, schema)}, got ${describeValue(value)}.${fix}`,
      );
    };
    if (s.enum !== undefined && !s.enum.includes(value)) return wrong();
    if (s.type !== undefined) {
      const actual = typeOf(value);
      if (!(actual === s.type || (s.type === "number" && actual === "integer"))) return wrong();
    }
    if (typeof value === "string") {
      if (value.length < (s.minLength ?? 0)) return wrong();
      if (s.pattern !== undefined && !new RegExp(s.pattern).test(value)) return wrong();
    }
    if (Array.isArray(value)) {
      if (value.length < (s.minItems ?? 0)) return wrong();
      if (s.items !== undefined) {
        const items = s.items;
        value.forEach((item, i) => visit(items, item, `${path}[${i}]`));
      }
    }
    if (typeOf(value) === "object") {
      const object = value as Record<string, unknown>;
      const known = Object.keys(s.properties ?? {});
      for (const key of s.required ?? [])
        if (!(key in object)) problems.push(`Missing \`${pathOf(path, key)}\`.${fix}`);
      for (const [key, item] of Object.entries(object)) {
        const property = s.properties?.[key];
        if (property !== undefined) visit(property, item, pathOf(path, key));
        else if (typeof s.additionalProperties === "object")
          visit(s.additionalProperties, item, pathOf(path, key));
        else if (s.additionalProperties === false) {
          const closest = known
            .map((k) => [k, editDistance(key.toLowerCase(), k.toLowerCase())] as const)
            .sort((x, y) => x[1] - y[1])[0];
          const hint =
            closest !== undefined && closest[1] <= Math.max(2, Math.floor(key.length / 3))
              ? ` Did you mean \`${closest[0]}\`?`
              : "";
          problems.push(
            `Unknown key \`${pathOf(path, key)}\`; expected one of ${known.map((k) => `\`${k}\``).join(", ")}.${hint}`,
          );
        }
      }
    }
    return undefined;
  };
  visit(schema, data, at);
  return problems;
}
