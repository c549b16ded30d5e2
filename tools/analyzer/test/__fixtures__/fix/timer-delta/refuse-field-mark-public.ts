// A public field of an exported class: other modules may read the mark.
export class Request {
  startTime = 0;

  send(): void {
    this.startTime = Date.now();
  }

  done(): void {
    console.log(`request took ${Date.now() - this.startTime} ms`);
  }
}
