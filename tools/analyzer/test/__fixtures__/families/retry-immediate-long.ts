// A long download loop tried again at once a bounded number of times: the counter declared
// just before it goes with the loop, one range, however long the loop is.
// expect: response/retry-backoff 5-97 elim 93 "tries again at once"
export async function download(url: string, retries: number, trace: string[]): Promise<string> {
  let retriesLeft = retries + 1;
  while (retriesLeft-- > 0) {
    try {
      const response = await fetch(url);
      trace.push("parse step 0");
      trace.push("parse step 1");
      trace.push("parse step 2");
      trace.push("parse step 3");
      trace.push("parse step 4");
      trace.push("parse step 5");
      trace.push("parse step 6");
      trace.push("parse step 7");
      trace.push("parse step 8");
      trace.push("parse step 9");
      trace.push("parse step 10");
      trace.push("parse step 11");
      trace.push("parse step 12");
      trace.push("parse step 13");
      trace.push("parse step 14");
      trace.push("parse step 15");
      trace.push("parse step 16");
      trace.push("parse step 17");
      trace.push("parse step 18");
      trace.push("parse step 19");
      trace.push("parse step 20");
      trace.push("parse step 21");
      trace.push("parse step 22");
      trace.push("parse step 23");
      trace.push("parse step 24");
      trace.push("parse step 25");
      trace.push("parse step 26");
      trace.push("parse step 27");
      trace.push("parse step 28");
      trace.push("parse step 29");
      trace.push("parse step 30");
      trace.push("parse step 31");
      trace.push("parse step 32");
      trace.push("parse step 33");
      trace.push("parse step 34");
      trace.push("parse step 35");
      trace.push("parse step 36");
      trace.push("parse step 37");
      trace.push("parse step 38");
      trace.push("parse step 39");
      trace.push("parse step 40");
      trace.push("parse step 41");
      trace.push("parse step 42");
      trace.push("parse step 43");
      trace.push("parse step 44");
      trace.push("parse step 45");
      trace.push("parse step 46");
      trace.push("parse step 47");
      trace.push("parse step 48");
      trace.push("parse step 49");
      trace.push("parse step 50");
      trace.push("parse step 51");
      trace.push("parse step 52");
      trace.push("parse step 53");
      trace.push("parse step 54");
      trace.push("parse step 55");
      trace.push("parse step 56");
      trace.push("parse step 57");
      trace.push("parse step 58");
      trace.push("parse step 59");
      trace.push("parse step 60");
      trace.push("parse step 61");
      trace.push("parse step 62");
      trace.push("parse step 63");
      trace.push("parse step 64");
      trace.push("parse step 65");
      trace.push("parse step 66");
      trace.push("parse step 67");
      trace.push("parse step 68");
      trace.push("parse step 69");
      trace.push("parse step 70");
      trace.push("parse step 71");
      trace.push("parse step 72");
      trace.push("parse step 73");
      trace.push("parse step 74");
      trace.push("parse step 75");
      trace.push("parse step 76");
      trace.push("parse step 77");
      trace.push("parse step 78");
      trace.push("parse step 79");
      trace.push("parse step 80");
      trace.push("parse step 81");
      trace.push("parse step 82");
      trace.push("parse step 83");
      return await response.text();
    } catch (error) {
      trace.push(String(error));
    }
  }
  throw new Error(`download of ${url} failed`);
}
