// The API server's verdict on a scenario's objects before any run: each is created, in order,
// in an empty store (the model's own, with its defaults and validation under the scenario's
// feature gates), as `kubectl create --dry-run=server` would. An object the API server would refuse is bad input,
// reported with the API server's message at the line of the field it names.
import type { FeatureGates } from '../../model/feature-gates.ts';
import { initialSnapshot, transition } from '../../model/machine-runner.ts';
import type { Reply } from '../../model/requests.ts';
import { storeMachine } from '../../model/store.ts';
import type { StoreSnapshot } from '../../model/world.ts';
import type { Problem } from './input-error.ts';
import type { KubeObject } from '../../model/resources.ts';
import { printedError } from '../kubectl-error.ts';
import type { UserOp } from '../user.ts';
import type { ManifestObject } from './manifest-file.ts';
import type { PathSegment } from './yaml-source.ts';

/** The field an API error names (`spec.replicas: Invalid value: ...`, `data[a key]: ...`), as path segments. */
export function fieldOfMessage(message: string): PathSegment[] | null {
  const m = /: ((?:[A-Za-z0-9_]+|\[[^\]]+\])(?:\.[A-Za-z0-9_]+|\[[^\]]+\])*): (?:Invalid value|Required value|Not found|Unsupported value|Duplicate value|Forbidden|Too many|Too long)/.exec(message);
  if (!m) return null;
  return [...m[1]!.matchAll(/([A-Za-z0-9_]+)|\[(\d+)\]|\[([^\]]+)\]/g)].map((p) => (p[2] !== undefined ? Number(p[2]) : p[3] ?? p[1]!));
}

/**
 * The problems the API server would report to the script's creates, made in script order into
 * an empty cluster, each in the namespace its operation gives; the script's deletes are applied
 * too (at once: the time a graceful deletion takes is the run's business), so that an object
 * deleted and created again is no conflict. `sources` says where each created object was read.
 */
export function dryRunScript(
  script: readonly UserOp[], sources: ReadonlyMap<KubeObject, ManifestObject>, historyMax: number, featureGates: FeatureGates,
): Problem[] {
  let store = initialSnapshot(storeMachine, { historyMax, featureGates }) as StoreSnapshot;
  const problems: Problem[] = [];
  for (const op of script) {
    if (op.op === 'delete') {
      const request = { verb: 'delete', resource: op.resource, namespace: op.namespace, name: op.name, gracePeriodSeconds: 0 };
      store = transition(storeMachine, store, { type: 'delete', request, nowMs: 0 });
      continue;
    }
    if (op.op !== 'create') continue;
    const request = { verb: 'create', resource: op.resource, namespace: op.namespace, object: op.object };
    store = transition(storeMachine, store, { type: 'create', request, nowMs: 0 });
    const reply = store.context.reply as Reply;
    const source = sources.get(op.object);
    if (reply.ok || !source) continue;
    const field = fieldOfMessage(reply.status.message);
    problems.push({ file: source.file, line: field ? source.lineOf(field) : source.line, message: printedError(reply.status) });
  }
  return problems;
}
