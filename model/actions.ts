// The actions of the transition system. Each is a small value; its label (labels.ts)
// is what a trace records and a replay checks.

export type Action =
  /** The client sends its pending request; `lagging` has a lagging API server answer a list. */
  | { readonly kind: 'send'; readonly client: number; readonly lagging: boolean }
  /** The next event, or the end, on the client's watch stream reaches the client. */
  | { readonly kind: 'deliver'; readonly client: number }
  /**
   * The clock jumps to the next deadline and the clients due then wake. `busy`: the clients with
   * work pending as the clock moves (ascending), whose wait it measures (latency.ts).
   */
  | { readonly kind: 'tick'; readonly toMs: number; readonly busy: readonly number[] }
  /** A tick past the latency bound of some client's pending work: the client stalls (a fault). */
  | { readonly kind: 'stall'; readonly toMs: number; readonly busy: readonly number[] }
  | { readonly kind: 'dropWatch'; readonly client: number }
  | { readonly kind: 'failWatch'; readonly client: number }
  | { readonly kind: 'compact' }
  /** A kubelet's pod worker syncs the pod with this uid: one runtime call at most. */
  | { readonly kind: 'sync'; readonly node: number; readonly uid: string }
  /** A kubelet probe worker runs; `fault` makes a probe that would pass fail. */
  | { readonly kind: 'probe'; readonly node: number; readonly slot: string; readonly passed: boolean; readonly fault: boolean }
  /** A container's process exits by itself (its behaviour's timer) or crashes (a fault). */
  | { readonly kind: 'exit'; readonly node: number; readonly container: string; readonly exitCode: number; readonly fault: boolean }
  | { readonly kind: 'crashNode'; readonly node: number }
  | { readonly kind: 'rebootNode'; readonly node: number }
  | { readonly kind: 'partitionNode'; readonly node: number }
  | { readonly kind: 'reconnectNode'; readonly node: number }
  | { readonly kind: 'restartKubelet'; readonly node: number }
  | { readonly kind: 'registryDown' }
  | { readonly kind: 'registryUp' }
  /** The scheduler runs a scheduling cycle for the pod at the head of its queue. */
  | { readonly kind: 'schedule' }
  /** The scheduler picks the `index`-th of the nodes tied for the best score (selectHost's random choice). */
  | { readonly kind: 'pickNode'; readonly index: number }
  | { readonly kind: 'restartScheduler' }
  /** A controller's worker takes the key from its queue and reconciles it. */
  | { readonly kind: 'reconcile'; readonly client: number; readonly key: string }
  | { readonly kind: 'restartControllerManager' }
  /** The API server refuses the client's write (503): nothing is applied. */
  | { readonly kind: 'refuseRequest'; readonly client: number }
  /** The client's write is applied, but its reply is lost (504). */
  | { readonly kind: 'loseReply'; readonly client: number };

/** Faults spend the run's fault budget and stop once faults are healed. Recoveries are ordinary actions. */
export function isFault(action: Action): boolean {
  switch (action.kind) {
    case 'dropWatch': case 'failWatch': case 'compact': case 'crashNode': case 'partitionNode': case 'restartKubelet': case 'registryDown':
    case 'restartScheduler': case 'restartControllerManager': case 'refuseRequest': case 'loseReply': case 'stall':
      return true;
    case 'send': return action.lagging;
    case 'probe': case 'exit': return action.fault;
    default: return false;
  }
}

/** The kind of a fault, for weighting: a stale list, a failed probe and a crash are kinds of their own. */
export function faultKind(action: Action): string {
  switch (action.kind) {
    case 'send': return 'staleList';
    case 'probe': return 'probeFailure';
    case 'exit': return 'containerCrash';
    default: return action.kind;
  }
}

/** A key that identifies "the same action" across steps, for fair scheduling: kind and target, not outcome or time. */
export function actionKey(action: Action): string {
  switch (action.kind) {
    case 'send': case 'deliver': case 'dropWatch': case 'failWatch': case 'refuseRequest': case 'loseReply': return `${action.kind}:${action.client}`;
    case 'sync': return `sync:${action.node}:${action.uid}`;
    case 'reconcile': return `reconcile:${action.client}:${action.key}`;
    case 'probe': return `probe:${action.node}:${action.slot}`;
    case 'exit': return `exit:${action.node}:${action.container}`;
    case 'crashNode': case 'rebootNode': case 'partitionNode': case 'reconnectNode': case 'restartKubelet': return `${action.kind}:${action.node}`;
    default: return action.kind;
  }
}
