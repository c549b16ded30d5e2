// expect: monitoring/console-time
async function importAll(items) {
  console.time("import");
  for (const item of items) await save(item);
  console.timeEnd("import");
}
async function save() {}
module.exports = { importAll };
