// A digit count picks plain or exponent notation: both branches hand back a form of the number,
// no limit is enforced.
// expect: none
const PLAIN_DIGIT_LIMIT = 2048;

export function format(coefficient: string, exponent: number): string {
  const plainLength = coefficient.length + exponent;
  if (plainLength <= PLAIN_DIGIT_LIMIT) {
    return coefficient + "0".repeat(exponent);
  } else {
    return `${coefficient}E+${String(exponent)}`;
  }
}
