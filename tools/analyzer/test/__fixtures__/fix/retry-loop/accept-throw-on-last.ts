// One-based counter, several statements per attempt, the last attempt rethrows from the catch.
export async function download(url: string, tries: number): Promise<string> {
  for (let i = 1; i <= tries; i++) {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return await response.text();
    } catch (err) {
      if (i === tries) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
  throw new Error("unreachable");
}
