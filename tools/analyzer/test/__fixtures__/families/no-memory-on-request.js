// Host memory returned once per health request: a snapshot on demand, no polling.
// expect: none
const os = require("os");

const getMemoryInfo = () => {
  const mem = { free: os.freemem(), total: os.totalmem(), percent: null };
  mem.percent = (mem.free * 100) / mem.total;
  return mem;
};

function healthHandler(req, res) {
  res.end(JSON.stringify({ memory: getMemoryInfo(), uptime: process.uptime() }));
}

module.exports = { healthHandler };
