// A promise field of an object made in this call, rewritten with a fallback: the chain lives
// within the call (a resend on one error), it orders nothing across calls.
// expect: none
class Request {
  promise: Promise<string>;
  constructor(readonly name: string) {
    this.promise = Promise.resolve(name);
  }
}

export function send(name: string, again: (r: Request) => Promise<string>, readOnly: boolean) {
  const options = { readOnly: false };
  if (readOnly) options.readOnly = true;
  const request = new Request(name);
  request.promise = request.promise.catch((error: Error) => {
    if (!error.message.includes("MISSING")) throw error;
    return again(new Request(name));
  });
  return { request, options };
}
