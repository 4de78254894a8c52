// What the API server refuses in names, labels, annotations, finalizers, ports, environment
// variable names, volumes, selectors, Services, ConfigMaps, Secrets and Nodes (issue 14: input
// the API server would refuse is refused), each with upstream's field path and text, as a
// create in the model's store replies. The texts are written out here, from apimachinery's
// util/validation and api/validate/content and pkg/apis/core/validation, not taken from the model.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_GATES } from '../model/feature-gates.ts';
import type { KubeObject, Resource } from '../model/resources.ts';
import { deployment, pod, TestStore } from './helpers/store.ts';

const LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const LABEL_KEY_NAME = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS_LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const CONFIG_KEY = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

const configMap = (metadata: Record<string, unknown>, rest: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...metadata }, ...rest });
const service = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec });
const node = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec });
const withContainer = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
  pod('p', { spec: { containers: [{ name: 'app', image: 'nginx:1.25', ...container }], ...spec } });

/** The store's reply to creating `object`, as "<code> <reason>: <message>". */
function refusal(resource: Resource, object: KubeObject): string {
  return new TestStore().error({ verb: 'create', resource, namespace: object.metadata.namespace ?? 'default', object });
}

describe('metadata: names, labels, annotations, finalizers, owner references', () => {
  const cases: [string, Resource, KubeObject, string][] = [
    ['a label value <script>', 'pods', pod('p', { metadata: { labels: { app: '<script>' } } }),
      `Pod "p" is invalid: metadata.labels: Invalid value: "<script>": ${LABEL_VALUE}`],
    ['a label value of 64 bytes', 'pods', pod('p', { metadata: { labels: { app: 'a'.repeat(64) } } }),
      `Pod "p" is invalid: metadata.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 bytes`],
    ['a label key with a space', 'pods', pod('p', { metadata: { labels: { 'bad key': 'x' } } }),
      `Pod "p" is invalid: metadata.labels: Invalid value: "bad key": ${LABEL_KEY_NAME}`],
    ['a label key whose prefix is not a subdomain', 'configmaps', configMap({ labels: { 'Example.com/tier': 'x' } }),
      `ConfigMap "c" is invalid: metadata.labels: Invalid value: "Example.com/tier": prefix part ${SUBDOMAIN}`],
    ['a label key with an empty prefix, and one with an empty name', 'configmaps', configMap({ labels: { '/tier': 'x', 'example.com/': 'y' } }),
      `ConfigMap "c" is invalid: [metadata.labels: Invalid value: "/tier": prefix part must be non-empty, metadata.labels: Invalid value: "example.com/": name part must be non-empty, metadata.labels: Invalid value: "example.com/": ${LABEL_KEY_NAME}]`],
    ['a label key with two slashes', 'configmaps', configMap({ labels: { 'a/b/c': 'x' } }),
      `ConfigMap "c" is invalid: metadata.labels: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`],
    ['a label key whose name part is 64 bytes', 'configmaps', configMap({ labels: { [`example.com/${'n'.repeat(64)}`]: 'x' } }),
      `ConfigMap "c" is invalid: metadata.labels: Invalid value: "example.com/${'n'.repeat(64)}": name part must be no more than 63 bytes`],
    ['two labels with one bad value: the error once, as ToAggregate drops a repeated text', 'configmaps', configMap({ labels: { a: '<x>', b: '<x>' } }),
      `ConfigMap "c" is invalid: metadata.labels: Invalid value: "<x>": ${LABEL_VALUE}`],
    ['an annotation key with a space', 'configmaps', configMap({ annotations: { 'my note': 'x' } }),
      `ConfigMap "c" is invalid: metadata.annotations: Invalid value: "my note": ${LABEL_KEY_NAME}`],
    ['annotations of more than 256 KiB', 'configmaps', configMap({ annotations: { big: 'x'.repeat(256 << 10) } }),
      'ConfigMap "c" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes'],
    ['a generateName that is no subdomain: it and the name made of it', 'configmaps', configMap({ name: undefined, generateName: 'Web_' }),
      `ConfigMap "Web_bbbbb" is invalid: [metadata.generateName: Invalid value: "Web_": ${SUBDOMAIN}, metadata.name: Invalid value: "Web_bbbbb": ${SUBDOMAIN}]`],
    ['a namespace with a dot', 'configmaps', configMap({ namespace: 'team.a' }),
      'ConfigMap "c" is invalid: metadata.namespace: Invalid value: "team.a": must not contain dots'],
    ['a finalizer neither standard nor qualified', 'configmaps', configMap({ finalizers: ['cleanup', 'kubernetes', 'example.com/cleanup'] }),
      'ConfigMap "c" is invalid: metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified'],
    ['a finalizer that is no qualified name', 'configmaps', configMap({ finalizers: ['example.com/clean up'] }),
      `ConfigMap "c" is invalid: [metadata.finalizers: Invalid value: "example.com/clean up": ${LABEL_KEY_NAME}, metadata.finalizers[0]: Invalid value: "example.com/clean up": ${LABEL_KEY_NAME}]`],
    ['an owner reference without apiVersion version, kind, name or uid', 'configmaps', configMap({ ownerReferences: [{ apiVersion: 'apps/', kind: '', name: '', uid: '' }] }),
      'ConfigMap "c" is invalid: [metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty, metadata.ownerReferences.kind: Invalid value: "": must not be empty, metadata.ownerReferences.name: Invalid value: "": must not be empty, metadata.ownerReferences.uid: Invalid value: "": must not be empty]'],
  ];
  for (const [what, resource, object, message] of cases) {
    it(`refuses ${what}`, () => expect(refusal(resource, object)).toBe(`422 Invalid: ${message}`));
  }

  it('takes what upstream takes: an annotation key with capitals (checked lower-cased), an empty label value, a generateName ending in a dash', () => {
    const store = new TestStore();
    const object = configMap({ name: undefined, generateName: 'web-', labels: { empty: '' }, annotations: { 'Example.COM/Key': 'v' } });
    expect(store.ok({ verb: 'create', resource: 'configmaps', namespace: 'default', object }).metadata.name).toBe('web-bbbbb');
  });
});

describe('pod specs: containers, ports, environment variables, volumes, the node selector', () => {
  const cases: [string, KubeObject, string][] = [
    ['a container name with a dot', withContainer({ name: 'web.1' }), 'spec.containers[0].name: Invalid value: "web.1": must not contain dots'],
    ["a Pod's image with a trailing space", withContainer({ image: 'nginx:1.25 ' }), 'spec.containers[0].image: Invalid value: "nginx:1.25 ": must not have leading or trailing whitespace'],
    ['a container port name in capitals, of no lower-case letter', withContainer({ ports: [{ name: 'HTTP', containerPort: 80 }] }),
      '[spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)]'],
    ['a container port name of 16 characters, with two hyphens in a row, ending in one', withContainer({ ports: [{ name: 'metrics--exporte-', containerPort: 80 }] }),
      '[spec.containers[0].ports[0].name: Invalid value: "metrics--exporte-": must be no more than 15 characters, spec.containers[0].ports[0].name: Invalid value: "metrics--exporte-": must not contain consecutive hyphens, spec.containers[0].ports[0].name: Invalid value: "metrics--exporte-": must not begin or end with a hyphen]'],
    ['two container ports of one name, a port out of range, a protocol upstream lacks', withContainer({ ports: [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 70000, hostPort: 70001, protocol: 'QUIC' }] }),
      '[spec.containers[0].ports[1].name: Duplicate value: "http", spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.containers[0].ports[1].hostPort: Invalid value: 70001: must be between 1 and 65535, inclusive, spec.containers[0].ports[1].protocol: Unsupported value: "QUIC": supported values: "SCTP", "TCP", "UDP"]'],
    ['an environment variable name with "=", and one empty', withContainer({ env: [{ name: 'A=B', value: 'x' }, { name: '', value: 'y' }] }),
      "[spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '=', spec.containers[0].env[1].name: Required value]"],
    ['a volume name in capitals, which its mount then does not find', withContainer({ volumeMounts: [{ name: 'Data', mountPath: '/data' }] }, { volumes: [{ name: 'Data', emptyDir: {} }] }),
      `[spec.volumes[0].name: Invalid value: "Data": ${DNS_LABEL}, spec.containers[0].volumeMounts[0].name: Not found: "Data"]`],
    ['two volumes of one name', withContainer({}, { volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }] }),
      'spec.volumes[1].name: Duplicate value: "data"'],
    ['a node selector with a bad key', withContainer({}, { nodeSelector: { 'disk type': 'ssd' } }),
      `spec.nodeSelector: Invalid value: "disk type": ${LABEL_KEY_NAME}`],
    ['tolerations: no key but Equal, seconds without NoExecute, a bad value (at the operator, sic), Exists with a value, Lt without its gate, an unknown effect, a bad key', withContainer({}, { tolerations: [
      { operator: 'Equal', value: 'x' },
      { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule', tolerationSeconds: 60 },
      { key: 'dedicated', value: 'd b' },
      { key: 'dedicated', operator: 'Exists', value: 'db' },
      { key: 'tier', operator: 'Lt', value: '3' },
      { key: 'dedicated', operator: 'Exists', effect: 'Sometimes' },
      { key: 'bad key', operator: 'Exists' },
    ] }), `[${[
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      'spec.tolerations[1].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
      `spec.tolerations[2].operator: Invalid value: "d b": ${LABEL_VALUE}`,
      'spec.tolerations[3].operator: Invalid value: "db": value must be empty when `operator` is \'Exists\'',
      'spec.tolerations[4].operator: Unsupported value: "Lt": supported values: "Equal", "Exists"',
      'spec.tolerations[5].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      `spec.tolerations[6].key: Invalid value: "bad key": ${LABEL_KEY_NAME}`,
    ].join(', ')}]`],
  ];
  for (const [what, object, message] of cases) {
    it(`refuses ${what}`, () => expect(refusal('pods', object)).toBe(`422 Invalid: Pod "p" is invalid: ${message}`));
  }

  it('takes a toleration with Lt under TaintTolerationComparisonOperators, which the scheduler then reads', () => {
    const store = new TestStore(100, undefined, { ...DEFAULT_FEATURE_GATES, TaintTolerationComparisonOperators: true });
    const object = withContainer({}, { tolerations: [{ key: 'tier', operator: 'Lt', value: '3', effect: 'NoSchedule' }] });
    expect(store.ok({ verb: 'create', resource: 'pods', namespace: 'default', object }).metadata.name).toBe('p');
  });

  it('takes an environment variable name with spaces and dots, as RelaxedEnvironmentVariableValidation (GA) does', () => {
    expect(new TestStore().ok({ verb: 'create', resource: 'pods', namespace: 'default', object: withContainer({ env: [{ name: 'MY VAR.1', value: 'x' }] }) }).metadata.name).toBe('p');
  });
});

describe('Deployments: selectors and the template', () => {
  const cases: [string, KubeObject, string][] = [
    ['a selector with a bad operator and an In without values: the template then unchecked', deployment('web', { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Like' }, { key: 'zone', operator: 'In' }] } }),
      '[spec.selector.matchExpressions[0].operator: Invalid value: "Like": not a valid selector operator, spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is \'In\' or \'NotIn\', spec.selector: Invalid value: {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"Like"},{"key":"zone","operator":"In"}]}: invalid label selector]'],
    ['a selector whose label value is bad', deployment('web', { selector: { matchLabels: { app: 'web!' } }, template: { metadata: { labels: { app: 'web!' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } }),
      `[spec.selector.matchLabels: Invalid value: "web!": ${LABEL_VALUE}, spec.selector: Invalid value: {"matchLabels":{"app":"web!"}}: invalid label selector]`],
    ['template labels and annotations, at spec.template.labels and .annotations', deployment('web', { template: { metadata: { labels: { app: 'web', 'bad key': 'x' }, annotations: { 'my note': 'y' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } }),
      `[spec.template.labels: Invalid value: "bad key": ${LABEL_KEY_NAME}, spec.template.annotations: Invalid value: "my note": ${LABEL_KEY_NAME}]`],
  ];
  for (const [what, object, message] of cases) {
    it(`refuses ${what}`, () => expect(refusal('deployments', object)).toBe(`422 Invalid: Deployment.apps "web" is invalid: ${message}`));
  }
});

describe('Services: port names, numbers, target ports, duplicates, the selector', () => {
  const cases: [string, KubeObject, string][] = [
    ['two ports without names', service({ ports: [{ port: 80 }, { port: 443 }] }),
      '[spec.ports[0].name: Required value, spec.ports[1].name: Required value]'],
    ['a port name in capitals, of one name twice', service({ ports: [{ name: 'Web', port: 80 }, { name: 'tls', port: 443 }, { name: 'tls', port: 8443 }] }),
      `[spec.ports[0].name: Invalid value: "Web": ${DNS_LABEL}, spec.ports[2].name: Duplicate value: "tls"]`],
    ['port 0 and a target port name with an underscore', service({ ports: [{ port: 0, targetPort: 'http_port' }] }),
      '[spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: "http_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)]'],
    ['two ports alike by protocol and number', service({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80, targetPort: 8080 }] }),
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'],
    ['a selector with a bad value', service({ ports: [{ port: 80 }], selector: { app: 'web app' } }),
      `spec.selector: Invalid value: "web app": ${LABEL_VALUE}`],
  ];
  for (const [what, object, message] of cases) {
    it(`refuses ${what}`, () => expect(refusal('services', object)).toBe(`422 Invalid: Service "web" is invalid: ${message}`));
  }

  it('takes a headless Service without ports', () => {
    expect(new TestStore().ok({ verb: 'create', resource: 'services', namespace: 'default', object: service({ clusterIP: 'None', selector: { app: 'web' } }) }).metadata.name).toBe('web');
  });
});

describe('ConfigMaps and Secrets: keys and 1 MiB of data', () => {
  it('refuses a ConfigMap key with a space, ".." and a key in both data and binaryData, each at data[key]', () => {
    expect(refusal('configmaps', configMap({}, { data: { 'a b': 'x', '..': 'y', both: 'z' }, binaryData: { both: 'eg==' } })))
      .toBe(`422 Invalid: ConfigMap "c" is invalid: [data[a b]: Invalid value: "a b": ${CONFIG_KEY}, data[..]: Invalid value: "..": must not be '..', data[both]: Invalid value: "both": duplicate of key present in binaryData]`);
  });

  it('refuses a ConfigMap over 1 MiB, data and binaryData counted in bytes, at the path "[]", and takes one of exactly 1 MiB', () => {
    // 1 MiB - 2 bytes of text, and binaryData "AAA=" of 2 bytes: exactly 1 MiB; one "é" more (2 bytes in UTF-8) is over.
    const exactly = configMap({}, { data: { a: 'x'.repeat((1 << 20) - 2) }, binaryData: { b: 'AAA=' } });
    expect(new TestStore().ok({ verb: 'create', resource: 'configmaps', namespace: 'default', object: exactly }).metadata.name).toBe('c');
    const over = configMap({}, { data: { a: 'x'.repeat((1 << 20) - 3), e: 'é' }, binaryData: { b: 'AAA=' } });
    expect(refusal('configmaps', over)).toBe('422 Invalid: ConfigMap "c" is invalid: []: Too long: may not be more than 1048576 bytes');
  });

  it('refuses a Secret key with a space and data over 1 MiB once decoded from base64', () => {
    const secret = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
    expect(refusal('secrets', secret({ 'a b': 'eA==', big: Buffer.alloc(1 << 20).toString('base64') })))
      .toBe(`422 Invalid: Secret "s" is invalid: [data[a b]: Invalid value: "a b": ${CONFIG_KEY}, data: Too long: may not be more than 1048576 bytes]`);
  });
});

describe('Nodes: the name and the taints', () => {
  it('refuses a node named Node_1, as it refuses the kubelet that registers it', () => {
    expect(refusal('nodes', node('Node_1'))).toBe(`422 Invalid: Node "Node_1" is invalid: metadata.name: Invalid value: "Node_1": ${SUBDOMAIN}`);
  });

  it('refuses taints with a bad key, a bad value (its messages joined by ";"), no or an unknown effect, and two alike by key and effect, at metadata.taints', () => {
    const taints = [
      { key: 'bad key', value: `<${'v'.repeat(63)}>`, effect: 'NoSchedule' },
      { key: 'dedicated', effect: '' },
      { key: 'dedicated', value: 'db', effect: 'Sometimes' },
      { key: 'gpu', value: 'a', effect: 'NoExecute' },
      { key: 'gpu', value: 'b', effect: 'NoExecute' },
    ];
    expect(refusal('nodes', node('node-1', { taints }))).toBe(`422 Invalid: Node "node-1" is invalid: [${[
      `metadata.taints[0].key: Invalid value: "bad key": ${LABEL_KEY_NAME}`,
      `metadata.taints[0].value: Invalid value: "<${'v'.repeat(63)}>": must be no more than 63 bytes;${LABEL_VALUE}`,
      'metadata.taints[1].effect: Required value',
      'metadata.taints[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      'metadata.taints[4]: Duplicate value: core.Taint{Key:"gpu", Value:"b", Effect:"NoExecute", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
    ].join(', ')}]`);
  });
});
