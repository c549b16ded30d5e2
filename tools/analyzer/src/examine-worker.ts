// A worker thread of the per-file pass (see examine-pool.ts): loads the parser and the detectors,
// says it is ready, then examines each file it is sent and sends back the result, its tokens'
// buffers transferred, not copied.
import { parentPort, workerData } from "node:worker_threads";
import type { ExamineReply, ExamineRequest, ExamineWorkerData } from "./examine-pool.js";
import { examineFile, loadExaminer } from "./examine-file.js";

const port = parentPort;
if (port === null) throw new Error("examine-worker.js runs as a worker thread of the analyzer.");
const { includeGenerated } = workerData as ExamineWorkerData;
await loadExaminer();
port.on("message", (request: ExamineRequest) => {
  void examineFile(request.file, request.bytes, request.hash, includeGenerated).then((file) => {
    // A syntax tree stays on its thread: the one that started this one parses the file again.
    const { result, cacheable, tokens } = file;
    const examined = { result, cacheable, ...(tokens === undefined ? {} : { tokens }) };
    const reply: ExamineReply = { type: "examined", index: request.index, examined };
    const buffers = new Set<ArrayBuffer>();
    if (examined.tokens !== undefined)
      for (const array of [examined.tokens.ids, examined.tokens.lines])
        if (array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
    port.postMessage(reply, [...buffers]);
  });
});
port.postMessage({ type: "ready" } satisfies ExamineReply);
