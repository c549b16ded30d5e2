// After the fill, the slot is written again: not one value finished in place.
let banner: string | undefined;

export function getBanner(): string {
  if (banner !== undefined) return banner;
  banner = "perflayer";
  banner = banner.toUpperCase();
  return banner;
}
