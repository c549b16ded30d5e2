// A long constructor that sets many options, one of them a back-off delay function: the delay
// function is the construct, not the constructor around it.
// expect: response/retry-backoff 48-48 elim 1 "exponential"
export class Crawler {
  readonly options: Record<string, number> = {};
  readonly backoff: (attempt: number) => number;
  constructor(settings: Record<string, number>) {
    this.options.setting0 = settings.setting0 ?? 0;
    this.options.setting1 = settings.setting1 ?? 1;
    this.options.setting2 = settings.setting2 ?? 2;
    this.options.setting3 = settings.setting3 ?? 3;
    this.options.setting4 = settings.setting4 ?? 4;
    this.options.setting5 = settings.setting5 ?? 5;
    this.options.setting6 = settings.setting6 ?? 6;
    this.options.setting7 = settings.setting7 ?? 7;
    this.options.setting8 = settings.setting8 ?? 8;
    this.options.setting9 = settings.setting9 ?? 9;
    this.options.setting10 = settings.setting10 ?? 10;
    this.options.setting11 = settings.setting11 ?? 11;
    this.options.setting12 = settings.setting12 ?? 12;
    this.options.setting13 = settings.setting13 ?? 13;
    this.options.setting14 = settings.setting14 ?? 14;
    this.options.setting15 = settings.setting15 ?? 15;
    this.options.setting16 = settings.setting16 ?? 16;
    this.options.setting17 = settings.setting17 ?? 17;
    this.options.setting18 = settings.setting18 ?? 18;
    this.options.setting19 = settings.setting19 ?? 19;
    this.options.setting20 = settings.setting20 ?? 20;
    this.options.setting21 = settings.setting21 ?? 21;
    this.options.setting22 = settings.setting22 ?? 22;
    this.options.setting23 = settings.setting23 ?? 23;
    this.options.setting24 = settings.setting24 ?? 24;
    this.options.setting25 = settings.setting25 ?? 25;
    this.options.setting26 = settings.setting26 ?? 26;
    this.options.setting27 = settings.setting27 ?? 27;
    this.options.setting28 = settings.setting28 ?? 28;
    this.options.setting29 = settings.setting29 ?? 29;
    this.options.setting30 = settings.setting30 ?? 30;
    this.options.setting31 = settings.setting31 ?? 31;
    this.options.setting32 = settings.setting32 ?? 32;
    this.options.setting33 = settings.setting33 ?? 33;
    this.options.setting34 = settings.setting34 ?? 34;
    this.options.setting35 = settings.setting35 ?? 35;
    this.options.setting36 = settings.setting36 ?? 36;
    this.options.setting37 = settings.setting37 ?? 37;
    this.options.setting38 = settings.setting38 ?? 38;
    this.options.setting39 = settings.setting39 ?? 39;
    this.backoff = (attempt: number) => Math.min(100 * 2 ** attempt, 5000);
  }
}
