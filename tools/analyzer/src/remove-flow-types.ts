import { createRequire } from "node:module";

/** A file's code with its Flow types blanked out, or why they could not be removed. */
export type FlowRemoval = { readonly text: string } | { readonly error: string };

/** `flow-remove-types`: the Flow team's own stripper (CommonJS, no type declarations). */
type FlowRemoveTypes = (
  source: string,
  options: { readonly all: boolean },
) => { toString(): string };

// Loaded on the first Flow file only: the Flow parser (WebAssembly) costs nothing elsewhere.
const require = createRequire(import.meta.url);
let remover: FlowRemoveTypes | undefined;

/**
 * Blank space and comments before the first statement (after an optional `#!` line): where Flow
 * reads its `@flow` pragma. One character or one comment per repetition, so it cannot backtrack.
 */
const HEADER = /^(?:#![^\n]*\n)?(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/;

/**
 * Whether a file declares itself Flow-typed: `@flow` (or `@noflow`) in its leading comments.
 * @param text - the file's text
 * @returns whether the header has the pragma
 */
export function declaresFlow(text: string): boolean {
  return /@(?:no)?flow\b/.test(HEADER.exec(text)?.[0] ?? "");
}

function lineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]?.trim() ?? message;
}

/**
 * Removes Flow syntax — annotations, `type`/`opaque type`/`interface` declarations, `import type`,
 * casts `(x: T)`, type parameters and arguments, `declare` statements — by replacing it with spaces
 * and keeping every line break, so that each remaining token stays on its line and a finding's
 * line range in the result is its range in the file.
 * @param text - a file's text
 * @returns the text without Flow types, or the Flow parser's reason it could not be read
 */
export function removeFlowTypes(text: string): FlowRemoval {
  remover ??= require("flow-remove-types") as FlowRemoveTypes;
  let stripped: string;
  try {
    stripped = remover(text, { all: true }).toString();
  } catch (error) {
    return { error: `the Flow parser rejects it: ${describe(error)}` };
  }
  if (lineBreaks(stripped) !== lineBreaks(text))
    return { error: "its Flow types could not be removed without moving lines" };
  return { text: stripped };
}
