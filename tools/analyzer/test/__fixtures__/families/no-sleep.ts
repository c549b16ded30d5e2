// A sleep only resolves after a delay; nothing is bounded or rejected.
// expect: none
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
