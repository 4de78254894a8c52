// A worker thread's entry: the TypeScript loader is registered per thread, so each worker
// registers it before loading the checker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
