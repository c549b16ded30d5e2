// Entries stamped with the clock, but the key is two arguments and the age test is `<=`: not the
// get-or-compute shape, and a store swap would not carry the expiry over.
const pages = new Map<string, { at: number; html: string }>();

export function render(id: string, fresh: boolean): string {
  const hit = pages.get(id);
  if (!fresh && hit && Date.now() - hit.at <= 1_000) return hit.html;
  const html = `<p>${id}</p>`;
  pages.set(id, { at: Date.now(), html });
  return html;
}
