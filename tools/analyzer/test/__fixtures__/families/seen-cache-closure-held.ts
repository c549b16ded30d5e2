// A command class made per script and kept on it: the body is sent once per connection, later
// only its digest.
// expect: caching/seen-cache 7-14 elim 4 "remembers keys already handled"
export class Script {
  Command: new () => { write(conn: object): string };
  constructor(body: string, digest: string) {
    const primed = new WeakSet<object>();
    this.Command = class ScriptCommand {
      args: string[] = [];
      write(conn: object): string {
        if (!primed.has(conn)) {
          primed.add(conn);
          this.args[0] = body;
        } else {
          this.args[0] = digest;
        }
        return this.args.join(" ");
      }
    };
  }
}
