// A timeout capped at the largest signed 32-bit integer (`2 ** 31 - 1`) grows with nothing: a
// constant power is no back-off.
// expect: none
export class Crawler {
  readonly internalTimeoutMillis: number;
  constructor(timeoutSecs: number) {
    const maxSignedInteger = 2 ** 31 - 1;
    this.internalTimeoutMillis = Math.min(timeoutSecs * 1000, maxSignedInteger);
  }
}
