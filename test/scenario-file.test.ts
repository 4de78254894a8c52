// Scenario files: the built-in ones load as the scenarios they replace, and bad input gets
// one line per problem naming the file, the line, the field and the reason.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_GATES } from '../model/feature-gates.ts';
import { closestName } from '../scenarios/load/closest-name.ts';
import { InputError } from '../scenarios/load/input-error.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';

const file = (name: string) => fileURLToPath(new URL(`./scenario-files/${name}`, import.meta.url));

function problems(name: string): string[] {
  try {
    loadScenarioFile(file(name));
  } catch (e) {
    if (e instanceof InputError) return e.message.split('\n');
    throw e;
  }
  throw new Error(`${name} loaded`);
}

describe('processes', () => {
  it('say how long a lifecycle hook takes and whether it fails', () => {
    const { scenario } = loadScenarioFile(file('graceful-termination.yaml'));
    expect(scenario.behaviours).toEqual([
      { image: 'nginx:latest', behaviour: { hooks: { preStop: { takesMs: 180_000 } } } },
      { container: 'sidecar', behaviour: { hooks: { postStart: { takesMs: 500, fails: true }, preStop: {} } } },
    ]);
  });
});

describe('bad scenario files', () => {
  it.each([
    ['syntax-error.yaml', ['test/scenario-files/syntax-error.yaml:6: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a } (column 1)']],
    ['unknown-field.yaml', ['scenarios/manifests/volume-secret-pod.yaml:14: Pod "volume-secret": strict decoding error: unknown field "spec.containers[0].volumes"']],
    ['invalid-replicas.yaml', ['test/scenario-files/manifests/negative-replicas.yaml:6: The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    ['missing-manifest.yaml', ['test/scenario-files/missing-manifest.yaml:8: manifests[1]: manifests/no-such-file.yaml: cannot read: no such file']],
    ['unknown-kind.yaml', [
      'test/scenario-files/manifests/with-ingress.yaml:1: Ingress "web": kind not modelled by kubeprop (run with --skip-unmodelled to go on without it)',
      'test/scenario-files/manifests/with-ingress.yaml:9: PersistentVolumeClaim "data": kind not modelled by kubeprop (run with --skip-unmodelled to go on without it)',
    ]],
    ['unknown-node.yaml', ['test/scenario-files/unknown-node.yaml:9: operations[0].drain: unknown node "node-2" (cluster.nodes has node-1)']],
    ['misplaced-field.yaml', ['test/scenario-files/misplaced-field.yaml:6: cluster.manifests: unknown field "manifests" (expected one of: nodes, scheduler, controllers, registry)']],
    ['hook-mistakes.yaml', [
      'test/scenario-files/manifests/tcp-hook.yaml:12: Pod "tcp-hook": spec.containers[0].lifecycle.preStop.tcpSocket: not modelled by kubeprop (a tcpSocket lifecycle hook is deprecated, and the kubelet fails it when it runs it)',
      'test/scenario-files/hook-mistakes.yaml:11: processes[0].hooks.preStop.takes: must be a duration such as "30s", "1m30s" or "500ms", got "soon"',
      'test/scenario-files/hook-mistakes.yaml:11: processes[0].hooks.preStop.fails: must be true or false, got "maybe"',
      'test/scenario-files/hook-mistakes.yaml:12: processes[0].hooks.postStart: must be a map, got "3s"',
      'test/scenario-files/hook-mistakes.yaml:13: processes[0].hooks.onExit: unknown field "onExit" (expected one of: postStart, preStop)',
    ]],
  ])('%s is refused', (name, expected) => {
    expect(problems(name)).toEqual(expected);
  });

  it('reports every problem of a file at once, in reading order', () => {
    expect(problems('many-mistakes.yaml')).toEqual([
      'test/scenario-files/many-mistakes.yaml:1: name: must be lower-case letters, digits and dashes',
      'test/scenario-files/many-mistakes.yaml:5: cluster.nodes[0].capacity.cpu: must be a quantity such as "2", "500m" or "4Gi", got "two"',
      'test/scenario-files/many-mistakes.yaml:6: cluster.nodes[0].colour: unknown field "colour" (expected one of: name, capacity, os, arch, labels, taints, unschedulable, images, joinsLater, kubelet)',
      'test/scenario-files/many-mistakes.yaml:10: operations[0].scale.replicas: must be an integer of at least 0, got -1',
      'test/scenario-files/many-mistakes.yaml:11: operations[1].cordon: unknown node "node-9" (cluster.nodes has node-1)',
      'test/scenario-files/many-mistakes.yaml:12: operations[2].when.timeout: must be a duration such as "30s", "1m30s" or "500ms", got "soon"',
      'test/scenario-files/many-mistakes.yaml:14: operations[3].setImage.container: required',
      'test/scenario-files/many-mistakes.yaml:14: operations[3].setImage.image: required',
      'test/scenario-files/many-mistakes.yaml:15: operations[4]: needs exactly one action (create, scale, setImage, rolloutUndo, pause, resume, delete, cordon, uncordon, drain, patch, wait), got cordon and drain',
      'test/scenario-files/many-mistakes.yaml:16: budgets.stepsMax: must be an integer of at least 0, got "lots"',
      'test/scenario-files/many-mistakes.yaml:17: goals[0]: "rolloutCompleted" is not a sometimes-goal (kubeprop list shows them: ownerDeletedWhileCollectorDown, foregroundDeletionCompletes, orphanedDependentsReleased, watchDropLeadsToRelist, goneForcesRelist, writeConflictIsRetried, crashLoopBackOffReached, livenessRestartHappens, gracefulTerminationCompletes, preStopOutlastsGracePeriod, postStartHookFailed, imagePullBackOffReached, podBecomesReady, podRunsToCompletion, containerRestartedByRule, allContainersRestarted, podWaitsForVolume, containerConfigErrorReported, podScheduledAfterWaiting, bindFailureRetried, replicaSetReadyAfterControllerRestart, rolloutCompletes, rollbackCompletes, proportionalScalingHappens, drainEvictsManagedPods, evictionReplacesPod, nodeFailsMidRolloutAndCompletes)',
    ]);
  });

  it('refuses what would silently do nothing: an empty manifest, times out of order, objects nobody creates, pods nothing binds', () => {
    expect(problems('order-mistakes.yaml')).toEqual([
      'test/scenario-files/order-mistakes.yaml:9: manifests[1]: manifests/empty.yaml: no objects passed to create',
      'test/scenario-files/order-mistakes.yaml:13: operations[1].at: is earlier than the at of an operation before it: operations run in order',
      'test/scenario-files/order-mistakes.yaml:14: operations[1].pause: no manifest or earlier operation creates deployment/nginx-deploymnt',
      'test/scenario-files/order-mistakes.yaml:15: operations[2].when: needs exactly one of rolloutComplete, condition, phase, deleted, created, got rolloutComplete and phase',
      'test/scenario-files/order-mistakes.yaml:16: operations[2].delete: no manifest or earlier operation creates pod/web-0',
      'scenarios/manifests/nginx-deployment.yaml:1: Deployment "nginx-deployment": its pods name no spec.nodeName, and cluster.scheduler is false: nothing would ever bind them',
    ]);
  });

  it("refuses a platform no kubelet is built for, a Windows kubelet, and labels a kubelet sets itself or refuses to start with", () => {
    expect(problems('node-platform-mistakes.yaml')).toEqual([
      'test/scenario-files/node-platform-mistakes.yaml:6: cluster.nodes[0].os: must be one of linux, windows, got "darwin"',
      'test/scenario-files/node-platform-mistakes.yaml:7: cluster.nodes[0].arch: must be one of amd64, arm64, ppc64le, s390x, got "arm"',
      "test/scenario-files/node-platform-mistakes.yaml:10: cluster.nodes[1].os: a Windows kubelet is not modelled: the model's kubelet and container runtime are Linux's (an API-only node, kubelet: false, may be windows)",
      'test/scenario-files/node-platform-mistakes.yaml:14: cluster.nodes[2].arch: windows/arm64 is not a platform Kubernetes builds a kubelet for (linux/amd64, linux/arm64, linux/ppc64le, linux/s390x, windows/amd64)',
      "test/scenario-files/node-platform-mistakes.yaml:19: cluster.nodes[3].labels.kubernetes.io/arch: is set by the kubelet from the node's arch: give the node's arch instead",
      "test/scenario-files/node-platform-mistakes.yaml:20: cluster.nodes[3].labels.node-role.kubernetes.io/worker: a kubelet refuses to start with this label (unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels): "
        + "a kubelet's own labels must begin with kubelet.kubernetes.io or node.kubernetes.io, or be one of beta.kubernetes.io/instance-type, failure-domain.beta.kubernetes.io/region, "
        + 'failure-domain.beta.kubernetes.io/zone, node.kubernetes.io/instance-type, topology.kubernetes.io/region, topology.kubernetes.io/zone; '
        + 'label the node with a patch once it runs, or make it an API-only node (kubelet: false)',
    ]);
  });

  it('goes on without the kinds it does not model only when asked, and says what it left out', () => {
    const { scenario, warnings } = loadScenarioFile(file('unknown-kind.yaml'), { skipUnmodelled: true });
    expect(warnings).toEqual([
      'test/scenario-files/manifests/with-ingress.yaml:1: Ingress "web": kind not modelled by kubeprop, left out of the run',
      'test/scenario-files/manifests/with-ingress.yaml:9: PersistentVolumeClaim "data": kind not modelled by kubeprop, left out of the run',
    ]);
    // The user first waits for node-1 to be registered (kubectl wait --for=create), then its script starts.
    expect(scenario.users[0]!.script.map((op) => (op.op === 'create' ? `create ${op.object.kind}` : op.op))).toEqual(['waitFor', 'scriptStarts', 'create Deployment']);
    expect(scenario.source).toEqual({ path: file('unknown-kind.yaml'), skipUnmodelled: true });
  });
});

describe('featureGates', () => {
  it('sets the gates it names over the release\'s defaults; a file without the map runs with the defaults', () => {
    const { scenario } = loadScenarioFile(file('feature-gates.yaml'));
    expect(scenario.featureGates).toEqual({ ...DEFAULT_FEATURE_GATES, PodDeletionCost: false, ContainerRestartRules: false });
    expect(loadScenarioFile(file('rollout.yaml')).scenario.featureGates).toEqual(DEFAULT_FEATURE_GATES);
  });

  it('refuses what a component\'s --feature-gates refuses, and what the model does not follow, each at its line; a gate on without one it depends on', () => {
    expect(problems('feature-gate-mistakes.yaml')).toEqual([
      'test/scenario-files/feature-gate-mistakes.yaml:7: featureGates.PodDeletionCosts: unrecognized feature gate: PodDeletionCosts (did you mean PodDeletionCost?)',
      'test/scenario-files/feature-gate-mistakes.yaml:8: featureGates.containerrestartrules: unrecognized feature gate: containerrestartrules (did you mean ContainerRestartRules?)',
      'test/scenario-files/feature-gate-mistakes.yaml:9: featureGates.LogarithmicScaleDown: cannot set feature gate LogarithmicScaleDown to false, feature is locked to true',
      "test/scenario-files/feature-gate-mistakes.yaml:10: featureGates.PodLevelResources: cannot set feature gate PodLevelResources to false: kubeprop's kubelet always admits pods by their pod-level resources",
      'test/scenario-files/feature-gate-mistakes.yaml:11: featureGates.RestartAllContainersOnContainerExits: RestartAllContainersOnContainerExits is enabled, but depends on features that are disabled: [NodeDeclaredFeatures]',
      'test/scenario-files/feature-gate-mistakes.yaml:12: featureGates.SidecarContainers: must be true or false, got "yes"',
    ]);
  });

  it('drops a container\'s own restartPolicy without ContainerRestartRules, and with it judges its rules, at the pod\'s line', () => {
    expect(loadScenarioFile(file('restart-policy-dropped.yaml')).scenario.name).toBe('restart-policy-dropped');
    expect(problems('restart-rule-mistakes.yaml')).toEqual([
      'test/scenario-files/manifests/restart-rule-mistakes.yaml:4: The Pod "retry" is invalid: ['
        + 'spec.containers[0].restartPolicy: Required value: must specify restartPolicy when restart rules are used, '
        + 'spec.containers[0].restartPolicyRules[0].exitCodes.operator: Unsupported value: "Equals": supported values: "In", "NotIn", '
        + 'spec.containers[1].restartPolicyRules[0].action: Unsupported value: "RestartAllContainers": supported values: "Restart"]',
    ]);
  });

  it('suggests a gate only when the name is close', () => {
    const gates = Object.keys(DEFAULT_FEATURE_GATES);
    expect(closestName('PodLevelResource', gates)).toBe('PodLevelResources');
    expect(closestName('RestartAllContainers', gates)).toBe('RestartAllContainersOnContainerExits');
    expect(closestName('Sidecar', gates)).toBeUndefined();
    expect(closestName('InPlacePodVerticalScaling', gates)).toBeUndefined();
  });
});
