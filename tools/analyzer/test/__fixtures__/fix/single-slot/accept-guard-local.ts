interface Tracer {
  readonly name: string;
  readonly version: string;
}

function getTracer(name: string, version: string): Tracer {
  return { name, version };
}

export class Client {
  private _tracer?: Tracer;

  get tracer(): Tracer {
    if (this._tracer) {
      return this._tracer;
    }

    const name = "@acme/node";
    const tracer = getTracer(name, "1.0.0");
    this._tracer = tracer;

    return tracer;
  }
}
