// The value is made by callbacks with parameters of their own (`reduce`'s, `filter`'s): those are
// the callbacks' names, not the getter's, so the load may move where the field is declared.
interface Rule {
  readonly name: string;
  readonly enabled: boolean;
  readonly children: readonly Rule[];
}

export class RuleSet {
  private flattened: string[] | null = null;

  constructor(private readonly rules: readonly Rule[]) {}

  enabledNames(): string[] {
    if (this.flattened !== null) {
      return this.flattened;
    }
    this.flattened = this.rules.reduce(
      (names: string[], rule: Rule) =>
        names.concat(rule.children.filter((child) => child.enabled).map((child) => child.name)),
      [],
    );
    return this.flattened;
  }
}
