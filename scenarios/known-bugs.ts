// Scenarios that reach a bug Kubernetes itself has. A built-in scenario that `npm run check`
// runs must hold for every seed, or a fresh seed can fail a check by chance; a scenario that
// can reach an upstream bug is kept here instead, named for the bug, and checked by name
// (`npm run check -- stale-list-over-creation`), where its violation is the point.
import type { Scenario } from './scenario.ts';
import { replicaSetBasics } from './workloads.ts';

/**
 * A restarted controller-manager, once it leads again, lists pods from a lagging API server; the
 * watch from that old revision replays the ADDED events of pods an earlier incarnation created,
 * and since the ReplicaSet controller's expectations count creations, not uids
 * (pkg/controller/controller_utils.go, ControllerExpectations.CreationObserved), those events
 * satisfy the new incarnation's expectations before its own creations show: it creates one pod
 * too many. The extra pod is deleted later, so the cluster converges.
 */
export const staleListOverCreation: Scenario = {
  ...replicaSetBasics,
  name: 'stale-list-over-creation',
  description: 'Known upstream bug: a ReplicaSet controller restarted onto a lagging API server counts replayed ADDED events as its own creations and creates a pod too many.',
  faults: { ...replicaSetBasics.faults, staleList: true },
  knownBug: { property: 'replicaSetNeverCreatesBeyondReplicas', upstream: 'pkg/controller/controller_utils.go ControllerExpectations (creations are counted, not uids)' },
};

export const KNOWN_BUG_SCENARIOS: readonly Scenario[] = [staleListOverCreation];
