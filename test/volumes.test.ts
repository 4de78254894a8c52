// Volumes the model has no object for, as a real cluster treats them (issue 13): a
// PersistentVolumeClaim that does not exist keeps a pod Pending with the scheduler's
// VolumeRestrictions PreFilter message, and a pod bound by hand waits in ContainerCreating with
// the kubelet's; an in-tree plugin Kubernetes removed is accepted with the API server's warning
// and never mounted; a volume no container mounts is not waited for; every other volume type
// the model does not represent is refused at load, or left out under --skip-unmodelled.
import type { Node, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { arrayChooser } from '../checker/chooser.ts';
import { runConfig } from '../checker/explore.ts';
import { run } from '../checker/run.ts';
import type { KubeletContext } from '../model/kubelet/context.ts';
import { volumeMountProblem } from '../model/kubelet/config.ts';
import { PMap } from '../model/pmap.ts';
import type { KubeObject } from '../model/resources.ts';
import type { QueuedPod } from '../model/scheduler/context.ts';
import { scheduleCycle } from '../model/scheduler/cycle.ts';
import { DEFAULT_PROFILE } from '../model/scheduler/machine.ts';
import type { NodeView } from '../model/scheduler/plugins.ts';
import { newQueuedPod, onClusterEvent } from '../model/scheduler/queue.ts';
import { newNodeInfo } from '../model/semantics/resource-fit.ts';
import { DEFAULT_FEATURES } from '../model/semantics/scheduler-framework.ts';
import { PROPERTIES } from '../properties/index.ts';
import { podRow } from '../reports/pod-table.ts';
import { InputError } from '../scenarios/load/input-error.ts';
import { loadManifestFile } from '../scenarios/load/manifest-file.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';

const file = (name: string) => fileURLToPath(new URL(`./scenario-files/${name}`, import.meta.url));

describe('the scheduler and a claim that does not exist', () => {
  const node = (name: string): NodeView => ({
    node: { metadata: { name, labels: {} }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } } as Node,
    info: newNodeInfo({ cpu: '4', memory: '8Gi', pods: '110' }, []),
    ports: [],
  });
  const nodes = ['a', 'b', 'c'].map(node);
  const withClaims = (...claims: string[]): Pod => ({
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'main' }], volumes: [{ name: 'tmp', emptyDir: {} }, ...claims.map((c, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: c } }))] },
  });
  const cycle = (pod: Pod) => scheduleCycle(DEFAULT_PROFILE, pod, PMap.from(nodes.map((v) => [v.node.metadata!.name!, v] as const)), ['a', 'b', 'c'], 1, DEFAULT_FEATURES);

  it('rejects the pod on every node at PreFilter, naming the first claim, and preemption cannot help', () => {
    expect(cycle(withClaims('data', 'logs'))).toEqual({
      kind: 'unschedulable', rejectedBy: ['VolumeRestrictions'], nextStartNodeIndex: 1,
      message: '0/3 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    });
  });

  it('a pod without claims goes on to the nodes', () => {
    expect(cycle(withClaims())).toMatchObject({ kind: 'feasible', best: ['b', 'c', 'a'] });
  });

  describe('its queueing hints', () => {
    const parked: QueuedPod = { ...newQueuedPod('u1', 'default/p', 0, ['data']), rejectedBy: ['VolumeRestrictions'], unschedulableCount: 1 };
    const queues = { activeQ: [], backoffQ: [], errorBackoffQ: [], unschedulable: PMap.empty<QueuedPod>().set('u1', parked) };
    const moved = (change: { unschedulable?: PMap<QueuedPod> }) => change.unschedulable !== undefined && !change.unschedulable.has('u1');
    const deleted = (namespace: string, claim?: string): KubeObject => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q', namespace },
      spec: { containers: [{ name: 'main' }], ...(claim ? { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: claim } }] } : {}) },
    });

    it('a node added may help (VolumeRestrictions registers Node/Add with no hint); a node relabelled does not', () => {
      expect(moved(onClusterEvent(queues, 'NodeAdd', 10_000))).toBe(true);
      expect(moved(onClusterEvent(queues, 'NodeLabelChange', 10_000))).toBe(false);
    });

    it('an assigned pod deleted helps only if it used one of the claims, in the same namespace (isSchedulableAfterPodDeleted)', () => {
      expect(moved(onClusterEvent(queues, 'AssignedPodDelete', 10_000, deleted('default', 'data')))).toBe(true);
      expect(moved(onClusterEvent(queues, 'AssignedPodDelete', 10_000, deleted('other', 'data')))).toBe(false);
      expect(moved(onClusterEvent(queues, 'AssignedPodDelete', 10_000, deleted('default', 'logs')))).toBe(false);
      expect(moved(onClusterEvent(queues, 'AssignedPodDelete', 10_000, deleted('default')))).toBe(false);
    });
  });
});

describe('the kubelet\'s volume manager', () => {
  const none = { configmaps: new Map<string, KubeObject>(), secrets: new Map<string, KubeObject>() };
  const spec = (mounted: string[], volumes: PodSpec['volumes']): PodSpec => ({
    containers: [{ name: 'main', volumeMounts: mounted.map((name) => ({ name, mountPath: `/${name}` })) }], volumes,
  });

  it('sets up only the volumes a container mounts: a missing Secret or claim no container mounts is not waited for', () => {
    expect(volumeMountProblem(spec([], [{ name: 'creds', secret: { secretName: 'gone' } }, { name: 'data', persistentVolumeClaim: { claimName: 'gone' } }]), 'default', none)).toBeNull();
  });

  it('a missing ConfigMap fails its SetUp', () => {
    expect(volumeMountProblem(spec(['config'], [{ name: 'config', configMap: { name: 'app' } }]), 'default', none)).toBe(
      'MountVolume.SetUp failed for volume "config" : configmap "app" not found');
  });

  it('volumes the populator cannot process fail WaitForAttachAndMount at once: every unmounted volume named, the errors sorted', () => {
    const volumes: PodSpec['volumes'] = [
      { name: 'shared', cephfs: { monitors: ['10.0.0.1:6789'] } },
      { name: 'config', configMap: { name: 'app' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'db-data' } },
    ];
    expect(volumeMountProblem(spec(['shared', 'config', 'data'], volumes), 'prod', none)).toBe(
      'Unable to attach or mount volumes: unmounted volumes=[config data shared], unattached volumes=[], failed to process volumes=[data shared]: '
      + 'error processing PVC prod/db-data: failed to fetch PVC from API server: persistentvolumeclaims "db-data" not found; '
      + 'failed to get Plugin from volumeSpec for volume "shared" err=no volume plugin matched');
  });
});

describe('a cluster with claims that do not exist and a removed in-tree plugin (missing-claims.yaml)', () => {
  it('keeps the Deployment\'s pods Pending, the pods bound by hand in ContainerCreating, and runs the pod whose claim no container mounts', () => {
    const { scenario, warnings } = loadScenarioFile(file('missing-claims.yaml'));
    expect(warnings).toEqual([
      'test/scenario-files/manifests/missing-claims.yaml:56: Pod "gluster": Warning: spec.volumes[0].glusterfs: deprecated in v1.25, non-functional in v1.26+',
    ]);
    const result = run({ ...runConfig(scenario, undefined, PROPERTIES, false), stepsMax: 0 }, arrayChooser([]));
    expect(result.violation).toBeNull();
    expect(result.settlement?.quiet).toBe(true);
    expect([...result.reached].sort()).toEqual(['podBecomesReady', 'podWaitsForVolume']);
    const pods = [...(result.world.store.context.objects.pods?.values() ?? [])];
    const scheduled = (p: KubeObject) => ((p.status as { conditions?: { type: string; status: string; message?: string }[] }).conditions ?? []).find((c) => c.type === 'PodScheduled');
    expect(pods.map((p) => `${podRow(p, result.world.nowMs).name.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, '-*')} ${podRow(p, result.world.nowMs).status} ${scheduled(p)?.message ?? scheduled(p)?.status}`).sort()).toEqual([
      'db ContainerCreating True',
      'gluster ContainerCreating True',
      'unused-claim Running True',
      'web-* Pending 0/2 nodes are available: persistentvolumeclaim "web-content" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
      'web-* Pending 0/2 nodes are available: persistentvolumeclaim "web-content" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    ]);
    const problems = Object.values(result.world.system.nodes).flatMap((n) =>
      [...(result.world.clients[n.kubelet]!.context as KubeletContext).workers.values()].map((w) => `${w.key}: ${w.mountProblem}`));
    expect(problems.sort()).toEqual([
      'default/db: Unable to attach or mount volumes: unmounted volumes=[config data], unattached volumes=[], failed to process volumes=[data]: '
        + 'error processing PVC default/db-data: failed to fetch PVC from API server: persistentvolumeclaims "db-data" not found',
      'default/gluster: Unable to attach or mount volumes: unmounted volumes=[shared], unattached volumes=[], failed to process volumes=[shared]: '
        + 'failed to get Plugin from volumeSpec for volume "shared" err=no volume plugin matched',
      'default/unused-claim: null',
    ]);
  });
});

describe('volume types the model does not represent (unmodelled-volumes.yaml)', () => {
  const refused = [
    'test/scenario-files/manifests/unmodelled-volumes.yaml:16: Pod "nfs-client": spec.volumes[1].nfs: volume type nfs is not modelled by kubeprop',
    'test/scenario-files/manifests/unmodelled-volumes.yaml:37: Deployment "ebs": spec.template.spec.volumes[0].awsElasticBlockStore: volume type awsElasticBlockStore is not modelled by kubeprop: '
      + 'Kubernetes hands it to the CSI driver ebs.csi.aws.com (CSI migration), and kubeprop models no CSI driver or volume attachment',
    'test/scenario-files/manifests/unmodelled-volumes.yaml:54: Pod "bundles": spec.volumes[0].projected.sources[1].clusterTrustBundle: projected source clusterTrustBundle is not modelled by kubeprop',
    'test/scenario-files/manifests/unmodelled-volumes.yaml:66: Pod "ceph-block": spec.volumes[0].rbd: volume type rbd is not modelled by kubeprop: '
      + 'the scheduler compares rbd images between the pods of a node (VolumeRestrictions), which kubeprop does not model',
  ];

  it('are refused, each at the line of its field, with the reason', () => {
    let message = '';
    try {
      loadScenarioFile(file('unmodelled-volumes.yaml'));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      message = e.message;
    }
    expect(message.split('\n')).toEqual(refused.map((r) => `${r} (run with --skip-unmodelled to go on without it)`));
  });

  it('are left out, with the volumeMounts that name them, when asked, as kinds not modelled are', () => {
    const { scenario, warnings } = loadScenarioFile(file('unmodelled-volumes.yaml'), { skipUnmodelled: true });
    expect(warnings).toEqual(refused.map((r) => `${r}, left out of the run, with the volumeMounts that name it`));
    const specs = scenario.users[0]!.script.flatMap((op) => (op.op === 'create' ? [op.object.spec] : []));
    expect(specs).toEqual([
      { containers: [{ name: 'app', image: 'nginx:1.25', volumeMounts: [{ name: 'config', mountPath: '/etc/app' }] }], volumes: [{ name: 'config', emptyDir: {} }] },
      {
        replicas: 1, selector: { matchLabels: { app: 'ebs' } },
        template: { metadata: { labels: { app: 'ebs' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25', volumeMounts: [] }], volumes: [] } },
      },
      { containers: [{ name: 'app', image: 'nginx:1.25', volumeMounts: [] }], volumes: [] },
      { containers: [{ name: 'app', image: 'nginx:1.25' }], volumes: [] },
    ]);
  });
});

describe('volumes that do not decode', () => {
  it('are judged by strict decoding alone', () => {
    const manifest = join(mkdtempSync(join(tmpdir(), 'kubeprop-')), 'pod.yaml');
    writeFileSync(manifest, 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers: [{ name: app, image: nginx:1.25 }]\n  volumes: share\n');
    expect(() => loadManifestFile(manifest)).toThrow(`${manifest}:6: Pod "p": json: cannot unmarshal string into Go struct field PodSpec.spec.volumes of type []v1.Volume`);
  });
});
