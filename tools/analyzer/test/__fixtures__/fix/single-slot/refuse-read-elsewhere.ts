import { readFileSync } from "node:fs";

let token: { value: string } | undefined;

export function getToken(): { value: string } {
  if (!token) {
    const text = readFileSync(".token.json", "utf8");
    token = JSON.parse(text) as { value: string };
  }
  return token;
}

export function hasToken(): boolean {
  return token !== undefined;
}
