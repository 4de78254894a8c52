// A scenario: the cluster's clients, what the scripted users do, which faults may
// strike, the bounds on everything, and the sometimes-goals that prove a run of it
// went somewhere interesting.
import type { FeatureGates } from '../model/feature-gates.ts';
import type { NodeShape } from '../model/node-object.ts';
import type { ProcessBehaviour } from '../model/process.ts';
import type { Resource } from '../model/resources.ts';
import type { Bounds, FaultProfile, InitialObject } from '../model/system.ts';
import type { UserOp } from './user.ts';

export interface NodeDefinition extends NodeShape {
  /** Images already on the node. */
  readonly images?: readonly string[];
  /**
   * false: the node is only an API object (registered before the run), with no kubelet or
   * runtime behind it, as scheduler_perf's fake nodes are: for scheduling at scale.
   */
  readonly kubelet?: false;
  /** The node joins the cluster during the run: it starts powered off, and its kubelet registers once it boots. */
  readonly startsDown?: true;
}

/** Matches containers by image, container name and/or pod name (namespace/name); absent fields match anything. */
export interface BehaviourRule {
  readonly image?: string;
  readonly container?: string;
  readonly pod?: string;
  readonly behaviour: ProcessBehaviour;
}

export interface ScenarioSource {
  /** Absolute, so that a trace replays from any working directory. */
  readonly path: string;
  /** Objects of kinds the model does not store were left out, as asked. */
  readonly skipUnmodelled: boolean;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The scenario file it was loaded from, and how; absent for built-in scenarios, which are found by name. */
  readonly source?: ScenarioSource;
  /** Each informer is one client's cache of one resource: `configmaps -> reader-1`. */
  readonly informers: readonly { readonly resource: Resource; readonly client: string }[];
  readonly users: readonly { readonly name: string; readonly script: readonly UserOp[] }[];
  /** Nodes, each with a kubelet and a container runtime unless it says otherwise. */
  readonly nodes: readonly NodeDefinition[];
  /** Whether a scheduler runs (pods then need no spec.nodeName). */
  readonly scheduler?: boolean;
  /** The controllers the controller-manager runs, by name (model/controllers/index.ts); none: no controller-manager. */
  readonly controllers?: readonly string[];
  /** Objects the cluster holds before the run begins. */
  readonly objects?: readonly InitialObject[];
  /** Images the registry serves ("nginx" means "nginx:latest"). */
  readonly registry: readonly string[];
  /** What containers' processes do; the first rule that matches a container applies, else it runs until stopped. */
  readonly behaviours: readonly BehaviourRule[];
  readonly faults: FaultProfile;
  readonly bounds: Bounds;
  /** The feature gates the cluster runs with; absent: upstream's defaults for the release the model follows. */
  readonly featureGates?: FeatureGates;
  /** Steps chosen by the explorer in one run, before faults are healed. */
  readonly stepsMax: number;
  /** Steps the fair scheduler may take after healing before the run must have settled. */
  readonly convergeStepsMax: number;
  /** Logical time after healing for grace periods and back-offs to run out (see RunConfig.settleMs). */
  readonly settleMs: number;
  /** How many times likelier each ordinary action is to be explored than each fault (RunConfig.faultRarity). */
  readonly faultRarity: number;
  /** Sometimes-goals (by property name) that exploration of this scenario must reach. */
  readonly goals: readonly string[];
  /**
   * Set for a scenario made to reach a bug Kubernetes itself has (scenarios/known-bugs.ts): the
   * property it breaks and where upstream tracks it. `npm run check` leaves such scenarios out,
   * since every scenario it runs must hold for every seed; they are checked by name.
   */
  readonly knownBug?: KnownBug;
}

export interface KnownBug {
  /** The property a run of the scenario can break, as the upstream component really does. */
  readonly property: string;
  /** Where upstream describes it: an issue, a pull request or the source that explains it. */
  readonly upstream: string;
}
