// A method that returns the promise of work it does itself (a connection's start), bounded by a
// timer that rejects: the method is the range, but only the timer's lines go — its arm, its
// failure callback and its clears; the connecting, the handlers and their resolve stay.
// expect: response/timeout 18-46 elim 8 "cleared when the operation settles"
import { EventEmitter } from "node:events";

interface Socket extends EventEmitter {
  write(data: string): void;
  destroy(): void;
}

declare function openSocket(host: string, port: number): Socket;

export class Connection {
  socket: Socket | undefined;
  constructor(readonly host: string, readonly port: number, readonly timeoutMs: number) {}

  connect(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const socket = openSocket(this.host, this.port);
      this.socket = socket;
      const onTimeout = () => {
        socket.destroy();
        reject(new Error(`connect to ${this.host} timed out`));
      };
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.write("hello");
        resolve();
      });
      socket.once("error", (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      });
      socket.once("close", () => {
        clearTimeout(timer);
        if (this.socket === socket) this.socket = undefined;
      });
      socket.on("data", (chunk: Buffer) => {
        socket.emit("message", chunk.toString("utf8"));
      });
      socket.setMaxListeners(20);
      const timer = setTimeout(onTimeout, this.timeoutMs);
    });
  }
}
