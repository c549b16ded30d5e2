// A payload's byte length counted by hand from its character codes (UTF-8: 1 to 4 bytes per
// code), and binary payloads charged their base64 size; used to cap a polling batch.
// expect: memory/size-accounting 5-29 elim 24 "2 hand-written byte-size estimators side by side"
const BASE64 = 1.33;
export function payloadLength(data) {
  if (typeof data === "string") {
    return utf8Length(data);
  }
  return Math.ceil((data.byteLength || data.size) * BASE64);
}

function utf8Length(text) {
  let code = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    code = text.charCodeAt(i);
    if (code < 0x80) {
      bytes += 1;
    } else if (code < 0x800) {
      bytes += 2;
    } else if (code < 0xd800 || code >= 0xe000) {
      bytes += 3;
    } else {
      i++;
      bytes += 4;
    }
  }
  return bytes;
}
