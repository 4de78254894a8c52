// The feature gates' defaults per release and what setting one may do, as upstream's
// kube_features.go and component-base/featuregate say.
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.ts';
import {
  DEFAULT_FEATURE_GATES, defaultFeatureGates, FEATURE_GATE_NAMES, featureGateDependencyErrors, featureGateSetError, gateSpecAt, KUBERNETES_RELEASE,
} from '../model/feature-gates.ts';

describe('feature gate defaults', () => {
  it('the model follows Kubernetes 1.35, with its defaults', () => {
    expect(KUBERNETES_RELEASE).toBe('1.35');
    expect(DEFAULT_FEATURE_GATES).toEqual({
      ContainerRestartRules: true,
      DRAExtendedResource: false,
      DeploymentPodReplacementPolicy: false,
      DeploymentReplicaSetTerminatingReplicas: true,
      KubeletCrashLoopBackOffMax: true,
      LogarithmicScaleDown: true,
      NodeDeclaredFeatures: false,
      PodDeletionCost: true,
      PodLevelResources: true,
      PodReadyToStartContainersCondition: true,
      ReduceDefaultCrashLoopBackOffDecay: false,
      RestartAllContainersOnContainerExits: false,
      SidecarContainers: true,
      TaintTolerationComparisonOperators: false,
    });
  });

  it('1.35 turns on ContainerRestartRules, DeploymentReplicaSetTerminatingReplicas and KubeletCrashLoopBackOffMax', () => {
    const at134 = defaultFeatureGates('1.34');
    const changed = FEATURE_GATE_NAMES.filter((name) => at134[name] !== DEFAULT_FEATURE_GATES[name]);
    expect(changed).toEqual(['ContainerRestartRules', 'DeploymentReplicaSetTerminatingReplicas', 'KubeletCrashLoopBackOffMax']);
  });

  it("a gate's spec at a release is the newest listed at or before it", () => {
    expect(gateSpecAt('LogarithmicScaleDown', '1.34')).toEqual({ version: '1.31', default: true, preRelease: 'GA', lockToDefault: true });
    expect(gateSpecAt('PodDeletionCost', '1.21')).toEqual({ version: '1.21', default: false, preRelease: 'Alpha' });
    expect(gateSpecAt('RestartAllContainersOnContainerExits', '1.34')).toBeNull();
    expect(gateSpecAt('DeploymentPodReplacementPolicy', '1.32')).toEqual({ version: '1.32', default: false, preRelease: 'Alpha' });
    expect(gateSpecAt('DeploymentPodReplacementPolicy', '1.34')).toBeNull();
  });
});

describe('setting a feature gate', () => {
  it('an alpha or beta gate the model follows may be set either way', () => {
    expect(featureGateSetError('PodDeletionCost', false)).toBeNull();
    expect(featureGateSetError('DeploymentReplicaSetTerminatingReplicas', true)).toBeNull();
    expect(featureGateSetError('KubeletCrashLoopBackOffMax', true)).toBeNull();
  });

  it('an unknown gate is unrecognized, as kube-apiserver and the kubelet say', () => {
    expect(featureGateSetError('PodDeletionCosts', false)).toBe('unrecognized feature gate: PodDeletionCosts');
  });

  it('a gate of another release is unrecognized, saying when Kubernetes has it', () => {
    expect(featureGateSetError('DeploymentPodReplacementPolicy', true)).toBe(
      'unrecognized feature gate: DeploymentPodReplacementPolicy (kubeprop follows Kubernetes 1.35; Kubernetes removed it in 1.33)',
    );
    expect(featureGateSetError('RestartAllContainersOnContainerExits', true, '1.34')).toBe(
      'unrecognized feature gate: RestartAllContainersOnContainerExits (kubeprop follows Kubernetes 1.34; it arrives in Kubernetes 1.35)',
    );
  });

  it('a GA gate locked to its default may be set only to it', () => {
    expect(featureGateSetError('LogarithmicScaleDown', false)).toBe('cannot set feature gate LogarithmicScaleDown to false, feature is locked to true');
    expect(featureGateSetError('SidecarContainers', false)).toBe('cannot set feature gate SidecarContainers to false, feature is locked to true');
    expect(featureGateSetError('LogarithmicScaleDown', true)).toBeNull();
    // Before it went GA, it could be turned off.
    expect(featureGateSetError('LogarithmicScaleDown', false, '1.30')).toBeNull();
  });

  it('a gate whose other value the model does not follow is refused with why, its default allowed', () => {
    expect(featureGateSetError('PodLevelResources', false)).toBe(
      "cannot set feature gate PodLevelResources to false: kubeprop's kubelet always admits pods by their pod-level resources",
    );
    expect(featureGateSetError('PodLevelResources', true)).toBeNull();
  });

  it('the kubelet\'s gates may be set either way: it reads them', () => {
    for (const gate of [
      'ContainerRestartRules', 'ReduceDefaultCrashLoopBackOffDecay', 'KubeletCrashLoopBackOffMax', 'PodReadyToStartContainersCondition',
      'RestartAllContainersOnContainerExits', 'NodeDeclaredFeatures',
    ] as const) {
      expect([featureGateSetError(gate, true), featureGateSetError(gate, false)]).toEqual([null, null]);
    }
  });

  it('a gate on whose dependencies are off is refused, listing them, as unsafeSetFromMap does', () => {
    expect(featureGateDependencyErrors(DEFAULT_FEATURE_GATES)).toEqual([]);
    expect(featureGateDependencyErrors({ ...DEFAULT_FEATURE_GATES, RestartAllContainersOnContainerExits: true })).toEqual([{
      gate: 'RestartAllContainersOnContainerExits',
      error: 'RestartAllContainersOnContainerExits is enabled, but depends on features that are disabled: [NodeDeclaredFeatures]',
    }]);
    expect(featureGateDependencyErrors({
      ...DEFAULT_FEATURE_GATES, RestartAllContainersOnContainerExits: true, ContainerRestartRules: false,
    })[0]!.error).toBe('RestartAllContainersOnContainerExits is enabled, but depends on features that are disabled: [ContainerRestartRules NodeDeclaredFeatures]');
    expect(featureGateDependencyErrors({
      ...DEFAULT_FEATURE_GATES, RestartAllContainersOnContainerExits: true, NodeDeclaredFeatures: true,
    })).toEqual([]);
  });
});

describe('kubeprop list', () => {
  it('shows every gate with its 1.35 default and maturity, and why a scenario cannot change one', async () => {
    const { code, stdout } = await cli('list');
    expect(code).toBe(0);
    const gates = stdout.slice(stdout.indexOf('feature gates')).trimEnd().split('\n');
    expect(gates[0]).toBe('feature gates (featureGates in a scenario file), with their Kubernetes 1.35 defaults:');
    expect(gates.slice(1).map((l) => l.trim().replace(/ {2,}/g, ' | '))).toEqual([
      'ContainerRestartRules | true | Beta',
      'DRAExtendedResource | false | Alpha, fixed: kubeprop models no DeviceClasses or ResourceSlices (dynamic resource allocation)',
      'DeploymentPodReplacementPolicy | - | not in 1.35: Kubernetes removed it in 1.33',
      'DeploymentReplicaSetTerminatingReplicas | true | Beta',
      'KubeletCrashLoopBackOffMax | true | Beta',
      'LogarithmicScaleDown | true | GA, locked to its default',
      'NodeDeclaredFeatures | false | Alpha',
      'PodDeletionCost | true | Beta',
      "PodLevelResources | true | Beta, fixed: kubeprop's kubelet always admits pods by their pod-level resources",
      'PodReadyToStartContainersCondition | true | Beta',
      'ReduceDefaultCrashLoopBackOffDecay | false | Alpha',
      'RestartAllContainersOnContainerExits | false | Alpha',
      'SidecarContainers | true | GA, locked to its default',
      'TaintTolerationComparisonOperators | false | Alpha',
    ]);
  });
});
