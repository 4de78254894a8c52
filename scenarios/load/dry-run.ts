// The API server's verdict on a scenario's objects before any run: each is created, in order,
// in an empty store (the model's own, with its defaults and validation), as
// `kubectl create --dry-run=server` would. An object the API server would refuse is bad input,
// reported with the API server's message at the line of the field it names.
import { initialSnapshot, transition } from '../../model/machine-runner.ts';
import type { Reply } from '../../model/requests.ts';
import { storeMachine } from '../../model/store.ts';
import type { StoreSnapshot } from '../../model/world.ts';
import type { Problem } from './input-error.ts';
import type { ManifestObject } from './manifest-file.ts';
import type { PathSegment } from './yaml-source.ts';

/** The field an API error names (`spec.replicas: Invalid value: ...`), as path segments. */
export function fieldOfMessage(message: string): PathSegment[] | null {
  const m = /: ((?:[A-Za-z0-9_]+|\[\d+\])(?:\.[A-Za-z0-9_]+|\[\d+\])*): (?:Invalid value|Required value|Not found|Unsupported value|Duplicate value|Forbidden|Too many)/.exec(message);
  if (!m) return null;
  return [...m[1]!.matchAll(/([A-Za-z0-9_]+)|\[(\d+)\]/g)].map((p) => (p[2] !== undefined ? Number(p[2]) : p[1]!));
}

/** As kubectl prints an API error (cmdutil.StandardErrorMessage): `The Deployment "web" is invalid: ...`. */
function printedError(reason: string, message: string): string {
  if (reason === 'Invalid') return `The ${message.replace(/^([A-Za-z]+)\.[a-z0-9.]+ /, '$1 ')}`;
  return `Error from server (${reason}): ${message}`;
}

/** The problems the API server would report creating `objects` in order into an empty cluster. */
export function dryRunCreates(objects: readonly ManifestObject[], historyMax: number): Problem[] {
  let store = initialSnapshot(storeMachine, { historyMax }) as StoreSnapshot;
  const problems: Problem[] = [];
  for (const o of objects) {
    const namespace = o.object.metadata.namespace ?? 'default';
    const request = { verb: 'create', resource: o.resource, namespace, object: o.object };
    store = transition(storeMachine, store, { type: 'create', request, nowMs: 0 });
    const reply = store.context.reply as Reply;
    if (reply.ok) continue;
    const field = fieldOfMessage(reply.status.message);
    problems.push({ file: o.file, line: field ? o.lineOf(field) : o.line, message: printedError(reply.status.reason, reply.status.message) });
  }
  return problems;
}
