import { retry } from "@perflayer/response";

export async function fetchJson(url: string, ms: number): Promise<unknown> {
  const response = await retry(() =>
    Promise.race([
      fetch(url),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms)),
    ]),
  );
  return response.json();
}
