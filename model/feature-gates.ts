// Feature gates: the named switches every component is started with (--feature-gates), with
// upstream's defaults per release, in one place. The specs are those of kubernetes/kubernetes
// pkg/features/kube_features.go (defaultVersionedKubernetesFeatureGates, as on master after
// v1.35) for every gate the model reads or a sample case of test/k8s-semantics names; a gate's
// value at a release and what setting one may do follow k8s.io/component-base/featuregate
// (featureSpecAtEmulationVersion, unsafeSetFromMap: unrecognized, locked to its default, or
// PreAlpha at the emulated version).
//
// The model follows Kubernetes 1.35 (KUBERNETES_RELEASE), whose defaults turn on
// ContainerRestartRules, DeploymentReplicaSetTerminatingReplicas and KubeletCrashLoopBackOffMax:
// the scheduler, the controllers and the kubelet read the gates they are started with (the
// kubelet: its restarts, ContainerRestartRules and RestartAllContainersOnContainerExits; its
// back-off, ReduceDefaultCrashLoopBackOffDecay and KubeletCrashLoopBackOffMax; pod phase and
// conditions; the features its Node declares, NodeDeclaredFeatures).

/** A gate's maturity (featuregate.prerelease). */
export type PreRelease = 'Alpha' | 'Beta' | 'GA' | 'Deprecated';

/** featuregate.FeatureSpec: from `version` on, the gate defaults to `default` (and cannot be set otherwise when locked). */
export interface FeatureSpec {
  readonly version: string;
  readonly default: boolean;
  readonly preRelease: PreRelease;
  readonly lockToDefault?: true;
}

function spec(version: string, dflt: boolean, preRelease: PreRelease, lockToDefault?: true): FeatureSpec {
  return { version, default: dflt, preRelease, ...(lockToDefault ? { lockToDefault } : {}) };
}

/** What upstream lists for each gate, oldest first; `removedIn`: the first release whose list no longer has it. */
interface GateHistory {
  readonly specs: readonly FeatureSpec[];
  readonly removedIn?: string;
}

const GATES = {
  ContainerRestartRules: { specs: [spec('1.34', false, 'Alpha'), spec('1.35', true, 'Beta')] },
  DRAExtendedResource: { specs: [spec('1.34', false, 'Alpha')] },
  // Split into DeploymentReplicaSetTerminatingReplicas in 1.33 and gone from the list since; upstream
  // master's rolling.go reads it again (deployment-rolling.json), so the semantics take it.
  DeploymentPodReplacementPolicy: { specs: [spec('1.32', false, 'Alpha')], removedIn: '1.33' },
  DeploymentReplicaSetTerminatingReplicas: { specs: [spec('1.33', false, 'Alpha'), spec('1.35', true, 'Beta')] },
  KubeletCrashLoopBackOffMax: { specs: [spec('1.32', false, 'Alpha'), spec('1.35', true, 'Beta')] },
  LogarithmicScaleDown: { specs: [spec('1.21', false, 'Alpha'), spec('1.22', true, 'Beta'), spec('1.31', true, 'GA', true)] },
  NodeDeclaredFeatures: { specs: [spec('1.35', false, 'Alpha')] },
  PodDeletionCost: { specs: [spec('1.21', false, 'Alpha'), spec('1.22', true, 'Beta')] },
  PodLevelResources: { specs: [spec('1.32', false, 'Alpha'), spec('1.34', true, 'Beta')] },
  PodReadyToStartContainersCondition: { specs: [spec('1.28', false, 'Alpha'), spec('1.29', true, 'Beta')] },
  ReduceDefaultCrashLoopBackOffDecay: { specs: [spec('1.33', false, 'Alpha')] },
  RestartAllContainersOnContainerExits: { specs: [spec('1.35', false, 'Alpha')] },
  SidecarContainers: { specs: [spec('1.28', false, 'Alpha'), spec('1.29', true, 'Beta'), spec('1.33', true, 'GA', true)] },
  TaintTolerationComparisonOperators: { specs: [spec('1.35', false, 'Alpha')] },
} as const satisfies Record<string, GateHistory>;

export type FeatureGateName = keyof typeof GATES;

/** Every gate the model knows, by name: on or off. */
export type FeatureGates = Readonly<Record<FeatureGateName, boolean>>;

export const FEATURE_GATE_NAMES = Object.keys(GATES).sort() as FeatureGateName[];

/** The Kubernetes release whose gate defaults (and behaviour) the model follows. */
export const KUBERNETES_RELEASE = '1.35';

/** A release as [major, minor], for comparing "1.9" < "1.34". */
function releaseParts(release: string): [number, number] {
  const [major = 0, minor = 0] = release.split('.').map(Number);
  return [major, minor];
}

function atOrAfter(release: string, version: string): boolean {
  const [a, b] = releaseParts(release);
  const [c, d] = releaseParts(version);
  return a > c || (a === c && b >= d);
}

/**
 * featureSpecAtEmulationVersion: the newest spec at or before `release`; null when the gate is
 * not in that release's list (not yet added, or removed), where it reads as off.
 */
export function gateSpecAt(name: FeatureGateName, release: string): FeatureSpec | null {
  const history: GateHistory = GATES[name];
  if (history.removedIn !== undefined && atOrAfter(release, history.removedIn)) return null;
  return history.specs.filter((s) => atOrAfter(release, s.version)).at(-1) ?? null;
}

/** Every gate at its default for `release`. */
export function defaultFeatureGates(release: string): FeatureGates {
  return Object.fromEntries(FEATURE_GATE_NAMES.map((name) => [name, gateSpecAt(name, release)?.default ?? false])) as FeatureGates;
}

/** Upstream's defaults of KUBERNETES_RELEASE: what every component runs with unless a scenario says otherwise. */
export const DEFAULT_FEATURE_GATES: FeatureGates = defaultFeatureGates(KUBERNETES_RELEASE);

/**
 * Gates whose non-default value the model does not follow yet, with why: a scenario may not
 * change them, or the run would pretend a behaviour it does not have.
 */
export const NOT_FOLLOWED: Partial<Readonly<Record<FeatureGateName, string>>> = {
  PodLevelResources: "kubeprop's kubelet always admits pods by their pod-level resources",
  DRAExtendedResource: 'kubeprop models no DeviceClasses or ResourceSlices (dynamic resource allocation)',
};

/**
 * defaultKubernetesFeatureGateDependencies: a gate that may be on only while these are on too.
 * RestartAllContainersOnContainerExits needs ContainerRestartRules (without it the API server drops
 * every restart rule) and NodeDeclaredFeatures (its node declares it, for the scheduler).
 */
const DEPENDENCIES: Partial<Readonly<Record<FeatureGateName, readonly FeatureGateName[]>>> = {
  RestartAllContainersOnContainerExits: ['ContainerRestartRules', 'NodeDeclaredFeatures'],
};

/**
 * unsafeSetFromMap's last check (component-base/featuregate/feature_gate.go): every gate on whose
 * dependencies are not all on, with upstream's error, which lists the ones that are off.
 */
export function featureGateDependencyErrors(gates: FeatureGates): { readonly gate: FeatureGateName; readonly error: string }[] {
  return FEATURE_GATE_NAMES.flatMap((gate) => {
    const off = (DEPENDENCIES[gate] ?? []).filter((dependency) => !gates[dependency]);
    return gates[gate] && off.length > 0 ? [{ gate, error: `${gate} is enabled, but depends on features that are disabled: [${off.join(' ')}]` }] : [];
  });
}

/** Why `name` cannot be set at `release` though upstream knows it: it is not in that release's list. */
export function availability(name: FeatureGateName, release: string): string {
  const history: GateHistory = GATES[name];
  if (history.removedIn !== undefined && atOrAfter(release, history.removedIn)) return `Kubernetes removed it in ${history.removedIn}`;
  return `it arrives in Kubernetes ${history.specs[0]!.version}`;
}

/**
 * Setting `name` to `value` at `release`: null when allowed, else why not. A gate the release
 * does not list, or one locked to its default, gets upstream's error text
 * (component-base/featuregate/feature_gate.go unsafeSetFromMap), the first with kubeprop's
 * explanation; a gate the model does not follow gets NOT_FOLLOWED's.
 */
export function featureGateSetError(name: string, value: boolean, release: string = KUBERNETES_RELEASE): string | null {
  if (!Object.hasOwn(GATES, name)) return `unrecognized feature gate: ${name}`;
  const gate = name as FeatureGateName;
  const current = gateSpecAt(gate, release);
  if (current === null) return `unrecognized feature gate: ${name} (kubeprop follows Kubernetes ${release}; ${availability(gate, release)})`;
  if (current.lockToDefault && current.default !== value) {
    return `cannot set feature gate ${name} to ${value}, feature is locked to ${current.default}`;
  }
  const notFollowed = NOT_FOLLOWED[gate];
  if (notFollowed !== undefined && value !== current.default) return `cannot set feature gate ${name} to ${value}: ${notFollowed}`;
  return null;
}
