// A registry of live connections: `remove(id)` when a socket closes drops a connection, not a
// stale value; and `el.remove()` takes a node out of the page.
// expect: none
interface Socket {
  id: string;
  on(event: "close", listener: () => void): void;
}

export class Hub {
  private readonly connections = new Registry<Socket>();

  accept(socket: Socket, el: { remove(): void }): void {
    this.connections.put(socket.id, socket);
    socket.on("close", () => {
      this.connections.remove(socket.id);
      el.remove();
    });
  }
}

class Registry<T> {
  private readonly items: Record<string, T> = {};
  put(id: string, item: T): void {
    this.items[id] = item;
  }
  remove(id: string): void {
    this.items[id] = undefined as unknown as T;
  }
}
