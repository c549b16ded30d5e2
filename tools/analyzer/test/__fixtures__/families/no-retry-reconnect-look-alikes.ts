// Timers around a connection that do not open it again: a heartbeat armed when the socket opens
// (cleared when it closes), a timer on close that only tidies up, and a long poll that asks again
// when each response ends (periodic work, not a reconnect after a loss).
// expect: none
import { get } from "node:http";

export class Session {
  #beat: ReturnType<typeof setInterval> | undefined;
  #seen = new Map<string, number>();

  constructor(private readonly url: string) {}

  open(): void {
    const ws = new WebSocket(this.url);
    ws.addEventListener("open", () => {
      this.#beat = setInterval(() => ws.send("ping"), 15_000);
    });
    ws.addEventListener("close", () => {
      clearInterval(this.#beat);
      setTimeout(() => this.forget(), 5_000);
    });
  }

  forget(): void {
    this.#seen.clear();
  }

  poll(onBody: (text: string) => void): void {
    get(this.url, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      res.on("end", () => {
        onBody(text);
        setTimeout(() => this.poll(onBody), 2_000);
      });
    });
  }
}
