// Lazy initialisation kept forever (left out by the labelling convention).
// expect: none
let connecting: Promise<void> | undefined;
export function ready(connect: () => Promise<void>): Promise<void> {
  connecting ??= connect();
  return connecting;
}
