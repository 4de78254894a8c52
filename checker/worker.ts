// One worker of `kubeprop check --workers N`: explores its shard of each scenario's runs and
// posts the results back. It writes no trace: the main thread keeps the failure that one
// worker would have found first, and writes that one.
import { parentPort, workerData } from 'node:worker_threads';
import { findScenario } from '../scenarios/index.ts';
import { explore, type ExploreOptions } from './explore.ts';

const { names, options } = workerData as { names: readonly string[]; options: ExploreOptions };
parentPort!.postMessage(names.map((name) => explore(findScenario(name)!, { ...options, outDir: null })));
