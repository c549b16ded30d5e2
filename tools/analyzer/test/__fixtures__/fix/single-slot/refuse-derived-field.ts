class Node {
  constructor(readonly source: string) {}
}

export class TextNode extends Node {
  private rendered?: string;

  render(): string {
    if (this.rendered === undefined) {
      this.rendered = this.source.trim().replace(/\s+/g, " ");
    }
    return this.rendered;
  }
}
