// A long constructor of a few statements (one sets many options), one of them a back-off delay
// function: the delay function is the construct, not the constructor around it.
// expect: response/retry-backoff 50-50 elim 1 "exponential"
export class Crawler {
  readonly options: Record<string, number>;
  readonly backoff: (attempt: number) => number;
  constructor(settings: Record<string, number>) {
    this.options = {
      setting0: settings.setting0 ?? 0,
      setting1: settings.setting1 ?? 1,
      setting2: settings.setting2 ?? 2,
      setting3: settings.setting3 ?? 3,
      setting4: settings.setting4 ?? 4,
      setting5: settings.setting5 ?? 5,
      setting6: settings.setting6 ?? 6,
      setting7: settings.setting7 ?? 7,
      setting8: settings.setting8 ?? 8,
      setting9: settings.setting9 ?? 9,
      setting10: settings.setting10 ?? 10,
      setting11: settings.setting11 ?? 11,
      setting12: settings.setting12 ?? 12,
      setting13: settings.setting13 ?? 13,
      setting14: settings.setting14 ?? 14,
      setting15: settings.setting15 ?? 15,
      setting16: settings.setting16 ?? 16,
      setting17: settings.setting17 ?? 17,
      setting18: settings.setting18 ?? 18,
      setting19: settings.setting19 ?? 19,
      setting20: settings.setting20 ?? 20,
      setting21: settings.setting21 ?? 21,
      setting22: settings.setting22 ?? 22,
      setting23: settings.setting23 ?? 23,
      setting24: settings.setting24 ?? 24,
      setting25: settings.setting25 ?? 25,
      setting26: settings.setting26 ?? 26,
      setting27: settings.setting27 ?? 27,
      setting28: settings.setting28 ?? 28,
      setting29: settings.setting29 ?? 29,
      setting30: settings.setting30 ?? 30,
      setting31: settings.setting31 ?? 31,
      setting32: settings.setting32 ?? 32,
      setting33: settings.setting33 ?? 33,
      setting34: settings.setting34 ?? 34,
      setting35: settings.setting35 ?? 35,
      setting36: settings.setting36 ?? 36,
      setting37: settings.setting37 ?? 37,
      setting38: settings.setting38 ?? 38,
      setting39: settings.setting39 ?? 39,
    };
    this.backoff = (attempt: number) => Math.min(100 * 2 ** attempt, 5000);
  }
}
