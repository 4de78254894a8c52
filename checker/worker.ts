// One worker of `kubeprop check --workers N`: explores its shard of each scenario's runs and
// posts its progress (throttled) and each scenario's result back (workers.ts WorkerMessage).
// It writes no trace: the main thread keeps the failure that one worker would have found
// first, and writes that one.
import { parentPort, workerData } from 'node:worker_threads';
import { loadDefects } from './defect.ts';
import { explore } from './explore.ts';
import { PROGRESS_INTERVAL_MS, type WorkerInput, type WorkerMessage } from './workers.ts';

const { scenarios, options, defect: defectName } = workerData as WorkerInput;
const post = (message: WorkerMessage) => parentPort!.postMessage(message);
const defect = defectName === null ? undefined : (await loadDefects()).find((d) => d.name === defectName);

scenarios.forEach((definition, scenario) => {
  post({ kind: 'progress', scenario, runs: 0, steps: 0, shrinking: false });
  let last = performance.now();
  const onProgress = (runs: number, steps: number, shrinking: boolean) => {
    const now = performance.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    post({ kind: 'progress', scenario, runs, steps, shrinking });
  };
  post({ kind: 'result', scenario, result: explore(definition, { ...options, outDir: null, onProgress, ...(defect ? { defect } : {}) }) });
});
