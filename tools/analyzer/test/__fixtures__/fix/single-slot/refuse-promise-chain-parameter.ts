// The chain reads the function's parameter: the kept value would be the first call's.
declare function lookup(region: string): Promise<string>;

export class Endpoints {
  private endpoint?: string;

  private getEndpoint(region: string): Promise<string> {
    if (this.endpoint) {
      return Promise.resolve(this.endpoint);
    }
    return lookup(region).then((host) => {
      this.endpoint = host;
      return host;
    });
  }

  async url(path: string): Promise<string> {
    return `${await this.getEndpoint("eu")}${path}`;
  }
}
