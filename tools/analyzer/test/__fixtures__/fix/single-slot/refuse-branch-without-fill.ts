export class Address {
  private _remote?: string;

  constructor(private readonly socketAddress: string) {}

  get remote(): string | undefined {
    if (!this._remote) {
      if (this.socketAddress.startsWith("::ffff:")) {
        this._remote = this.socketAddress.slice(7);
      } else {
        console.log("not mapped", this._remote);
      }
    }
    return this._remote;
  }
}
