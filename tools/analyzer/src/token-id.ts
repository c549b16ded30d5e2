/**
 * A stable id for a token text (FNV-1a, 32 bits): the same in every run, so token streams can be
 * cached. Kept apart from the tokenizer so that counting ids never loads the TypeScript parser.
 * @param text - an identifier (`#name` for a private one)
 * @returns its id, clear of the small ids reserved for literals and punctuation
 */
export function textId(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >= 0 && hash < 1024 ? hash + 1024 : hash;
}
