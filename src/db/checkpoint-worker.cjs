// The WAL checkpointer's thread (src/db/checkpointer.ts, ADR 0039). Plain CommonJS because a
// worker thread does not inherit the CLI's TypeScript loader. It opens its own connection to
// the node's database file and, every `intervalMs`, copies what the WAL holds into the
// database file with a PASSIVE checkpoint: it never waits for the writer and the writer never
// waits for it, so the copy and its fsyncs run beside the event loop instead of inside a commit.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS: the worker has no TypeScript loader */
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.sqlitePath);

const db = new SQLite(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
// This connection only checkpoints; it must never run one on its own commit (it commits nothing).
db.pragma('wal_autocheckpoint = 0');

let stopped = false;
const stats = { checkpoints: 0, framesCopied: 0, busy: 0, failures: 0, lastError: null };

function checkpoint() {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    stats.checkpoints++;
    if (r.busy) stats.busy++;
    if (r.checkpointed > 0) stats.framesCopied += r.checkpointed;
  } catch (e) {
    stats.failures++;
    stats.lastError = String(e && e.message ? e.message : e);
  }
}

const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (m) => {
  if (m === 'checkpoint') {
    checkpoint();
    parentPort.postMessage({ type: 'checkpointed', stats });
  } else if (m === 'stop' && !stopped) {
    stopped = true;
    clearInterval(timer);
    db.close();
    parentPort.postMessage({ type: 'stopped', stats });
    parentPort.close();
  }
});
