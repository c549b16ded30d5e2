// A family of live series, one per label set: the lookup falls back to a method that creates the
// series and registers it, and the series are walked to expire them. A registry, not a cache.
// expect: none
interface Series {
  readonly labels: readonly string[];
  touched: boolean;
}

export class Family {
  private readonly series = new Map<string, Series>();

  labels(values: readonly string[]): Series {
    const key = values.join("\u0000");
    return this.series.get(key) ?? this.#lookup(key, values);
  }

  #lookup(key: string, values: readonly string[]): Series {
    const series = this.createSeries(values);
    this.series.set(key, series);
    return series;
  }

  protected createSeries(labels: readonly string[]): Series {
    return { labels, touched: true };
  }

  sweep(): void {
    for (const [key, series] of this.series) {
      if (!series.touched) this.series.delete(key);
      series.touched = false;
    }
  }
}
