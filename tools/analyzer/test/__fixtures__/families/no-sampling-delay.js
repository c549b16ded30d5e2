// A sampler that waits between two readings and rejects only when its own work throws, and a
// reader that re-arms itself while the file is open: delays and polls, not timeouts.
// expect: none
const os = require("node:os");
const fs = require("node:fs");

function sampleLoad(delay) {
  return new Promise((resolve, reject) => {
    const first = os.loadavg();
    setTimeout(() => {
      try {
        const second = os.loadavg();
        resolve(second.map((v, i) => v - first[i]));
      } catch (err) {
        reject(err);
      }
    }, delay);
  });
}

function tail(fd, stream) {
  (function read() {
    if (stream.destroyed) {
      fs.close(fd, () => {});
      return;
    }
    fs.read(fd, Buffer.alloc(64), 0, 64, null, (error, bytes) => {
      if (error) return stream.destroy();
      if (!bytes) return setTimeout(read, 1000);
      stream.push(bytes);
      read();
    });
  })();
}

module.exports = { sampleLoad, tail };
