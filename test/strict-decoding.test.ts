// Strict decoding as `kubectl apply --validate=strict` gets it from the API server: the
// seed manifests, and the usual mistakes, with the API server's messages.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { fieldPath, strictDecodingErrors } from '../scenarios/strict-decoding.ts';

const MANIFESTS = new URL('../scenarios/manifests/', import.meta.url);

function objectsOf(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((doc) => doc.toJS() as Record<string, unknown>).filter((o) => o !== null);
}

/** The errors of one object written in YAML. */
function decode(yaml: string) {
  return strictDecodingErrors(parse(yaml) as Record<string, unknown>);
}

function messages(yaml: string) {
  return decode(yaml).map((e) => e.message);
}

/** A Pod named p with one container c, whose further fields are `container` (indented as a list item's). */
const podWith = (container: string) => `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
${container}
`;

const deployment = (spec: string) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
${spec}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.12
`;

describe('the seed manifests', () => {
  const files = readdirSync(MANIFESTS).filter((f) => f.endsWith('.yaml')).sort();

  it('all decode cleanly but volume-secret-pod.yaml, whose container has volumes', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    const found = files.flatMap((file) => objectsOf(readFileSync(new URL(file, MANIFESTS), 'utf8'))
      .flatMap((o) => strictDecodingErrors(o).map((e) => ({ file, ...e }))));
    expect(found).toEqual([{
      file: 'volume-secret-pod.yaml',
      path: ['spec', 'containers', 0, 'volumes'],
      message: 'strict decoding error: unknown field "spec.containers[0].volumes"',
    }]);
  });

  it('decodes a kubectl get -o yaml dump (managedFields, uid, resourceVersion, creationTimestamp)', () => {
    const [configMap, ...rest] = objectsOf(readFileSync(new URL('wordpress-wp-config-configmap.yaml', MANIFESTS), 'utf8'));
    expect(rest).toEqual([]);
    expect(configMap).toMatchObject({ kind: 'ConfigMap', metadata: { uid: '5c2ebe67-85c9-4328-b118-b5158d1b4995' } });
    expect(strictDecodingErrors(configMap!)).toEqual([]);
  });
});

describe('unknown fields', () => {
  it('are one error for the whole object, in document order, its path the first of them', () => {
    expect(decode(`
apiVersion: v1
kind: Pod
metadata: {name: p, labelz: {app: p}}
spec:
  containers:
  - name: c
    image: nginx
    volumes: [{name: v, emptyDir: {}}]
  restartpolicy: Never
`)).toEqual([{
      path: ['metadata', 'labelz'],
      message: 'strict decoding error: unknown field "metadata.labelz", unknown field "spec.containers[0].volumes", unknown field "spec.restartpolicy"',
    }]);
  });

  it('reports a misspelt replicas in a Deployment spec', () => {
    expect(decode(deployment('  replica: 3'))).toEqual([
      { path: ['spec', 'replica'], message: 'strict decoding error: unknown field "spec.replica"' },
    ]);
  });

  it('are matched case-sensitively, and at the top level too', () => {
    expect(messages(deployment('  Replicas: 3') + 'extra: 1\n')).toEqual([
      'strict decoding error: unknown field "spec.Replicas", unknown field "extra"',
    ]);
  });
});

describe('type mismatches', () => {
  it('a string for an int32', () => {
    expect(decode(deployment('  replicas: "three"'))).toEqual([{
      path: ['spec', 'replicas'],
      message: 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    }]);
  });

  it('a string containerPort: the Go field path has no indices', () => {
    expect(decode(podWith(`    image: nginx
    ports:
    - containerPort: "80"`))).toEqual([{
      path: ['spec', 'containers', 0, 'ports', 0, 'containerPort'],
      message: 'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    }]);
  });

  it('ports given as a map', () => {
    expect(decode(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: web
        ports: {http: 80}
`)).toEqual([{
      path: ['spec', 'template', 'spec', 'containers', 0, 'ports'],
      message: 'json: cannot unmarshal object into Go struct field Container.spec.template.spec.containers.ports of type []v1.ContainerPort',
    }]);
  });

  it('a number in the labels map', () => {
    expect(decode(`
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  labels: {tier: 1, app: web}
`)).toEqual([{
      path: ['metadata', 'labels', 'tier'],
      message: 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    }]);
  });

  it('bools, arrays and objects for scalars, scalars for structs and maps, fractions and int64s', () => {
    expect(messages(`
apiVersion: v1
kind: Pod
metadata: {name: p, annotations: [a], creationTimestamp: 1704067200}
spec:
  terminationGracePeriodSeconds: "30"
  hostNetwork: "yes"
  nodeSelector: disk=ssd
  securityContext: true
  containers:
  - name: [c]
    image: {repo: nginx}
    tty: 1
    args: [1, x]
    livenessProbe: {periodSeconds: 2.5}
status: running
`)).toEqual([
      'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.annotations of type map[string]string',
      // metav1.Time's UnmarshalJSON decodes into a string
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string',
      'json: cannot unmarshal string into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64',
      'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool',
      'json: cannot unmarshal string into Go struct field PodSpec.spec.nodeSelector of type map[string]string',
      'json: cannot unmarshal bool into Go struct field PodSpec.spec.securityContext of type v1.PodSecurityContext',
      'json: cannot unmarshal array into Go struct field Container.spec.containers.name of type string',
      'json: cannot unmarshal object into Go struct field Container.spec.containers.image of type string',
      'json: cannot unmarshal number into Go struct field Container.spec.containers.tty of type bool',
      'json: cannot unmarshal number into Go struct field Container.spec.containers.args of type string',
      'json: cannot unmarshal number 2.5 into Go struct field Probe.spec.containers.livenessProbe.periodSeconds of type int32',
      'json: cannot unmarshal string into Go struct field Pod.status of type v1.PodStatus',
    ]);
  });

  it('come before the unknown fields, one per value', () => {
    expect(decode(deployment('  replicas: "3"\n  paused: 1\n  replica: 3'))).toEqual([
      {
        path: ['spec', 'replicas'],
        message: 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      },
      {
        path: ['spec', 'paused'],
        message: 'json: cannot unmarshal number into Go struct field DeploymentSpec.spec.paused of type bool',
      },
      { path: ['spec', 'replica'], message: 'strict decoding error: unknown field "spec.replica"' },
    ]);
  });
});

describe('what decodes', () => {
  it('null anywhere: the field is absent', () => {
    expect(decode(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: null, annotations: {a: null}}
spec:
  replicas: null
  strategy: null
  template:
    metadata: null
    spec:
      containers:
      - name: web
        image: null
        ports: null
        args: [null]
status: null
`)).toEqual([]);
  });

  it("a container's restartPolicyRules, which k8s.io/api has since Kubernetes 1.34 and kubernetes-types 1.30 has not, with its Go types", () => {
    const pod = (rules: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'busybox:1.36', restartPolicy: 'Never', restartPolicyRules: rules }] } });
    expect(strictDecodingErrors(pod([{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }]))).toEqual([]);
    expect(strictDecodingErrors(pod([{ action: 'Restart', exitCode: { operator: 'In' }, exitCodes: { operator: 'NotIn', values: ['42', 2 ** 40] } }]))).toEqual([
      { path: ['spec', 'containers', 0, 'restartPolicyRules', 0, 'exitCodes', 'values', 0], message: 'json: cannot unmarshal string into Go struct field ContainerRestartRuleOnExitCodes.spec.containers.restartPolicyRules.exitCodes.values of type int32' },
      { path: ['spec', 'containers', 0, 'restartPolicyRules', 0, 'exitCodes', 'values', 1], message: 'json: cannot unmarshal number 1099511627776 into Go struct field ContainerRestartRuleOnExitCodes.spec.containers.restartPolicyRules.exitCodes.values of type int32' },
      { path: ['spec', 'containers', 0, 'restartPolicyRules', 0, 'exitCode'], message: 'strict decoding error: unknown field "spec.containers[0].restartPolicyRules[0].exitCode"' },
    ]);
  });

  it('an IntOrString as a number or a string, but nothing else', () => {
    const service = (targetPort: string) => `
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports:
  - port: 80
    targetPort: ${targetPort}
`;
    expect(decode(service('80'))).toEqual([]);
    expect(decode(service('http'))).toEqual([]);
    expect(decode(service('"8080"'))).toEqual([]);
    expect(decode(service('true'))).toEqual([{
      path: ['spec', 'ports', 0, 'targetPort'],
      message: 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32',
    }]);
    expect(messages(deployment('  strategy: {rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}'))).toEqual([]);
  });

  it('a Quantity as a string or a number; anything else fails to parse as one', () => {
    const pod = (limits: string) => podWith(`    resources: {limits: ${limits}}`);
    expect(decode(pod('{cpu: 500m, memory: 1Gi}'))).toEqual([]);
    expect(decode(pod('{cpu: 0.5, memory: 1073741824}'))).toEqual([]);
    expect(decode(pod('{cpu: true}'))).toEqual([{
      path: ['spec', 'containers', 0, 'resources', 'limits', 'cpu'],
      message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    }]);
    expect(messages(pod('[cpu]'))).toEqual([
      'json: cannot unmarshal array into Go struct field ResourceRequirements.spec.containers.resources.limits of type v1.ResourceList',
    ]);
  });

  it("a Secret's data as base64", () => {
    const secret = (data: string) => `
apiVersion: v1
kind: Secret
metadata: {name: s}
data: ${data}
stringData: {plain: text}
`;
    expect(decode(secret('{user: YWRtaW4=, pass: "YWRt\\nGEGW"}'))).toEqual([]);
    expect(decode(secret('{user: admin}'))).toEqual([
      { path: ['data', 'user'], message: 'illegal base64 data at input byte 4' },
    ]);
    expect(messages(secret('{user: YWRtaW4, pass: "a=bc", n: 1}'))).toEqual([
      'illegal base64 data at input byte 4',
      'illegal base64 data at input byte 1',
      'json: cannot unmarshal number into Go struct field Secret.data of type []uint8',
    ]);
  });

  it('kubectl get -o yaml dumps of the other kinds, status and server-set fields included', () => {
    const meta = `
  name: x
  namespace: default
  uid: 0e5b0c6e-1a2b-4c3d-8e9f-0a1b2c3d4e5f
  resourceVersion: "4713"
  generation: 3
  creationTimestamp: "2024-01-01T00:00:00Z"
  labels: {app: web}
  annotations: {deployment.kubernetes.io/revision: "1"}
  ownerReferences:
  - {apiVersion: apps/v1, kind: Deployment, name: web, uid: 0e5b0c6e, controller: true, blockOwnerDeletion: true}
  finalizers: [kubernetes]
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1: {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}}
    manager: kube-controller-manager
    operation: Update
    subresource: status
    time: "2024-01-01T00:00:00Z"`;
    const dumps = [`
apiVersion: v1
kind: Pod
metadata:${meta}
spec:
  nodeName: node-1
  containers: [{name: web, image: nginx, resources: {}, terminationMessagePolicy: File}]
  tolerations: [{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}]
status:
  phase: Running
  conditions: [{type: Ready, status: "True", lastProbeTime: null, lastTransitionTime: "2024-01-01T00:00:05Z"}]
  hostIP: 10.0.0.1
  podIPs: [{ip: 10.244.0.5}]
  startTime: "2024-01-01T00:00:01Z"
  qosClass: BestEffort
  containerStatuses:
  - name: web
    ready: true
    restartCount: 0
    started: true
    image: nginx:latest
    imageID: docker.io/library/nginx@sha256:0123
    containerID: containerd://abc
    state: {running: {startedAt: "2024-01-01T00:00:04Z"}}
    lastState: {terminated: {exitCode: 137, reason: Error, startedAt: null, finishedAt: "2024-01-01T00:00:03Z"}}
`, `
apiVersion: apps/v1
kind: ReplicaSet
metadata:${meta}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, values: [a]}]}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}
status: {replicas: 2, readyReplicas: 2, availableReplicas: 2, fullyLabeledReplicas: 2, observedGeneration: 3}
`, `
apiVersion: apps/v1
kind: Deployment
metadata:${meta}
spec:
  replicas: 2
  progressDeadlineSeconds: 600
  revisionHistoryLimit: 10
  selector: {matchLabels: {app: web}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}
status:
  observedGeneration: 3
  replicas: 2
  updatedReplicas: 2
  conditions:
  - {type: Available, status: "True", reason: MinimumReplicasAvailable, message: ok, lastUpdateTime: "2024-01-01T00:00:00Z", lastTransitionTime: "2024-01-01T00:00:00Z"}
`, `
apiVersion: v1
kind: Node
metadata:${meta}
spec: {podCIDR: 10.244.0.0/24, taints: [{key: node.kubernetes.io/unreachable, effect: NoSchedule, timeAdded: null}]}
status:
  capacity: {cpu: "4", memory: 16Gi, pods: "110"}
  allocatable: {cpu: 3800m, memory: 15Gi, pods: 110}
  addresses: [{type: InternalIP, address: 10.0.0.1}]
  conditions: [{type: Ready, status: "True", lastHeartbeatTime: "2024-01-01T00:00:00Z", lastTransitionTime: "2024-01-01T00:00:00Z", reason: KubeletReady, message: ready}]
  daemonEndpoints: {kubeletEndpoint: {Port: 10250}}
  images: [{names: [nginx], sizeBytes: 70000000}]
  nodeInfo: {machineID: m, systemUUID: s, bootID: b, kernelVersion: "6.1", osImage: Debian, containerRuntimeVersion: containerd://1.7, kubeletVersion: v1.30.0, kubeProxyVersion: v1.30.0, operatingSystem: linux, architecture: amd64}
`, `
apiVersion: v1
kind: Endpoints
metadata:${meta}
subsets:
- addresses: [{ip: 10.244.0.5, nodeName: node-1, targetRef: {kind: Pod, name: web, namespace: default, uid: abc}}]
  notReadyAddresses: []
  ports: [{name: http, port: 80, protocol: TCP}]
`, `
apiVersion: v1
kind: Namespace
metadata:${meta}
spec: {finalizers: [kubernetes]}
status: {phase: Active}
`, `
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:${meta}
spec: {holderIdentity: node-1, leaseDurationSeconds: 40, renewTime: "2024-01-01T00:00:10.123456Z", leaseTransitions: 0}
`, `
apiVersion: v1
kind: Service
metadata:${meta}
spec:
  type: ClusterIP
  clusterIP: 10.96.0.10
  clusterIPs: [10.96.0.10]
  ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
  selector: {app: web}
  sessionAffinity: None
status: {loadBalancer: {}}
`];
    expect(dumps.map((dump) => decode(dump))).toEqual(dumps.map(() => []));
  });
});

describe('kinds', () => {
  it('returns [] for what it has no schema for', () => {
    expect(decode('{apiVersion: batch/v1, kind: Job, spec: {bogus: 1}}')).toEqual([]);
    expect(decode('{apiVersion: v1, kind: PersistentVolumeClaim, bogus: 1}')).toEqual([]);
    expect(decode('{apiVersion: apps/v1, kind: Pod, bogus: 1}')).toEqual([]);
    expect(decode('{apiVersion: example.com/v1, kind: Widget, bogus: 1}')).toEqual([]);
    expect(decode('{kind: Pod, bogus: 1}')).toEqual([]);
    expect(decode('{apiVersion: v1, kind: Pod, bogus: 1}')).toEqual([
      { path: ['bogus'], message: 'strict decoding error: unknown field "bogus"' },
    ]);
  });

  it('decodes each supported kind with its own type', () => {
    const kinds = [['v1', 'Pod'], ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'Service'], ['v1', 'Endpoints'],
      ['v1', 'Node'], ['v1', 'Namespace'], ['apps/v1', 'Deployment'], ['apps/v1', 'ReplicaSet'],
      ['coordination.k8s.io/v1', 'Lease']];
    expect(kinds.map(([apiVersion, kind]) => strictDecodingErrors({ apiVersion, kind, metadata: 'm' })[0]?.message)).toEqual(
      kinds.map(([, kind]) => `json: cannot unmarshal string into Go struct field ${kind}.metadata of type v1.ObjectMeta`),
    );
  });
});

describe('fieldPath', () => {
  it('is kubectl\'s', () => {
    expect(fieldPath(['spec', 'containers', 0, 'volumes'])).toBe('spec.containers[0].volumes');
    expect(fieldPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels.app.kubernetes.io/name');
    expect(fieldPath(['spec'])).toBe('spec');
    expect(fieldPath([])).toBe('');
  });
});
