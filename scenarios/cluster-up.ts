// A user scripts against a cluster that is up. Before its script, the user waits for every
// node the scenario lists to be registered, as a CI script that first runs `kubectl wait
// --for=create node/NAME` does (kubectl's cmd/wait, 1.31 and later), and the script's clock
// starts then: a scenario file's `at:` counts from there. A node that joins later is not
// waited for (a script that needs it waits with `when: {created: node/NAME}`), and an
// API-only node exists before the run.
import type { NodeDefinition } from './scenario.ts';
import type { UserOp } from './user.ts';
import { pollsFor, WAIT_POLL_MS, WAIT_TIMEOUT_MS_DEFAULT } from './wait-condition.ts';

/** kubectl wait --for=create node/NAME, with the default timeout. */
export function nodeRegistered(name: string): UserOp {
  return {
    op: 'waitFor', condition: { kind: 'created', target: { resource: 'nodes', namespace: '', name } },
    pollsMax: pollsFor(WAIT_TIMEOUT_MS_DEFAULT), pollMs: WAIT_POLL_MS,
  };
}

/** The script, run once every node the cluster starts with is registered. */
export function onceNodesRegistered(nodes: readonly NodeDefinition[], script: readonly UserOp[]): UserOp[] {
  return [...nodes.filter((n) => n.kubelet !== false && !n.startsDown).map((n) => nodeRegistered(n.name)), { op: 'scriptStarts' }, ...script];
}
