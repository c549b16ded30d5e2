// The compute returns 0 for an empty text without storing it: only the store changes (a memo would store the 0).
const lineCounts = new Map<string, number>();

export function lineCount(text: string): number {
  const cached = lineCounts.get(text);
  if (cached !== undefined) return cached;
  const lines = text.split("\n").filter((line) => {
    return line.trim() !== "";
  });
  if (lines.length === 0) return 0;
  lineCounts.set(text, lines.length);
  return lines.length;
}
