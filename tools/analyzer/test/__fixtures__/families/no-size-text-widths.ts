// Near miss of size-accounting-byte-estimators.ts: a table's width summed from its cells' lengths
// (characters on screen, not bytes: no bytes per character, no byte length), a padding picked per
// alignment, and a hex string's doubled length returned once (no total).
// expect: none
export function rowWidth(cells: string[], gap: string): number {
  let width = 0;
  for (const cell of cells) {
    width += cell.length;
    width += gap.length;
  }
  return width;
}

export function padding(align: "left" | "right" | "center", room: number): number {
  if (align === "center") return Math.floor(room / 2);
  if (align === "right") return room;
  return 0;
}

export function hexLength(bytes: Uint8Array): number {
  return bytes.length * 2;
}

export function labelOffset(label: string): number {
  let offset = 4;
  offset += label.length * 2;
  return offset > 80 ? 80 : 0;
}
