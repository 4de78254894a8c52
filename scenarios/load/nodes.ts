// The `cluster.nodes` section of a scenario file: each node's name, capacity, platform
// (`os`, `arch`), labels, taints, and whether it joins later or is only an API object. The
// labels are what the kubelet is started with (--node-labels), so they follow the kubelet's
// rule for them (cmd/kubelet/app/options ValidateKubeletFlags, pkg/kubelet/apis
// IsKubeletLabel); the labels the kubelet sets itself come from `name`, `os` and `arch`.
// The Node the kubelet registers (or the API-only node) is checked as the API server checks
// it (ValidateNode), each error at the line of the field it comes from: a node the API server
// refuses would never register, its kubelet retrying forever.
import type { Taint } from 'kubernetes-types/core/v1.js';
import { formatFieldError, type FieldError } from '../../model/api-status.ts';
import type { FeatureGates } from '../../model/feature-gates.ts';
import {
  LABEL_ARCH, LABEL_ARCH_BETA, LABEL_HOSTNAME, LABEL_OS, LABEL_OS_BETA, NODE_ARCHES, NODE_OSES, NODE_PLATFORMS, nodeObject,
} from '../../model/node-object.ts';
import { parseQuantity } from '../../model/quantity.ts';
import { validateCreate } from '../../model/validation.ts';
import type { NodeDefinition } from '../scenario.ts';
import type { Field } from './field.ts';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

/** The kubernetes.io labels a kubelet may be started with: its allowed set, and its allowed namespaces (pkg/kubelet/apis well_known_labels.go). */
const KUBELET_LABELS = [
  'beta.kubernetes.io/arch', 'beta.kubernetes.io/instance-type', 'beta.kubernetes.io/os', 'failure-domain.beta.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone', 'kubernetes.io/arch', 'kubernetes.io/hostname', 'kubernetes.io/os', 'node.kubernetes.io/instance-type',
  'topology.kubernetes.io/region', 'topology.kubernetes.io/zone',
];
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

/** The labels the kubelet sets itself (initialNode), and the field of the node each comes from. */
const SET_BY_KUBELET: Readonly<Record<string, string>> = {
  [LABEL_HOSTNAME]: 'name', [LABEL_OS]: 'os', [LABEL_ARCH]: 'arch', [LABEL_OS_BETA]: 'os', [LABEL_ARCH_BETA]: 'arch',
};

const labelNamespace = (key: string) => (key.includes('/') ? key.slice(0, key.indexOf('/')) : '');
const inNamespace = (namespace: string, of: string) => namespace === of || namespace.endsWith(`.${of}`);

/** A label in the kubernetes.io or k8s.io namespaces that a kubelet refuses to start with (ValidateKubeletFlags). */
function refusedByKubelet(key: string): boolean {
  const namespace = labelNamespace(key);
  if (!inNamespace(namespace, 'kubernetes.io') && !inNamespace(namespace, 'k8s.io')) return false;
  return !KUBELET_LABELS.includes(key) && !KUBELET_LABEL_NAMESPACES.some((n) => inNamespace(namespace, n));
}

function labels(f: Field, kubelet: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of f.entries()) {
    const from = SET_BY_KUBELET[key];
    if (from !== undefined) value.problem(`is set by the kubelet from the node's ${from}: give the node's ${from} instead`);
    else if (kubelet && refusedByKubelet(key)) {
      value.problem(`a kubelet refuses to start with this label (unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels): ` +
        `a kubelet's own labels must begin with ${KUBELET_LABEL_NAMESPACES.join(' or ')}, or be one of ${KUBELET_LABELS.filter((l) => SET_BY_KUBELET[l] === undefined).join(', ')}; ` +
        'label the node with a patch once it runs, or make it an API-only node (kubelet: false)');
    }
    // A label's value may be empty (node-role.kubernetes.io/worker: "").
    out[key] = value.value === '' ? '' : value.string() ?? '';
  }
  return out;
}

/**
 * The field of the node `error` comes from, and what connects them when it is not plain: a
 * taint's, a label's (by the key or the value it names), else the name (a label the kubelet
 * sets itself: the hostname label is the name).
 */
function fieldOf(f: Field, error: FieldError, labels: Readonly<Record<string, string>>): { field: Field; note: string } {
  const taint = /^metadata\.taints\[(\d+)\](?:\.(\w+))?/.exec(error.field);
  if (taint) {
    const item = f.child('taints').child(Number(taint[1]));
    return { field: taint[2] ? item.child(taint[2]) : item, note: '' };
  }
  if (error.field === 'metadata.labels') {
    const key = Object.keys(labels).find((k) => k === error.value) ?? Object.keys(labels).find((k) => labels[k] === error.value);
    return key !== undefined ? { field: f.child('labels').child(key), note: '' }
      : { field: f.child('name'), note: ` (the kubelet labels its node ${LABEL_HOSTNAME}: <name>)` };
  }
  return { field: f.child('name'), note: '' };
}

/** One item of cluster.nodes; `gates` are the cluster's feature gates. */
export function node(f: Field, gates: FeatureGates): NodeDefinition | undefined {
  if (!f.map(['name', 'capacity', 'os', 'arch', 'labels', 'taints', 'unschedulable', 'images', 'joinsLater', 'kubelet'])) return f.problem('required');
  const name = f.child('name').required((x) => x.string());
  const capacity = f.child('capacity').need().map(['cpu', 'memory', 'pods']);
  const quantity = (q: Field) => {
    const text = q.required((x) => x.string());
    return text !== undefined && parseQuantity(text) === null ? q.problem(`must be a quantity such as "2", "500m" or "4Gi", got ${JSON.stringify(text)}`) : text;
  };
  const cpu = capacity && quantity(capacity.child('cpu'));
  const memory = capacity && quantity(capacity.child('memory'));
  const pods = capacity?.child('pods').integer(1) ?? 110;
  const kubelet = f.child('kubelet').boolean();
  const os = f.child('os').oneOf(NODE_OSES);
  const arch = f.child('arch').oneOf(NODE_ARCHES);
  if (os !== undefined && arch !== undefined && !(NODE_PLATFORMS as readonly string[]).includes(`${os}/${arch}`)) {
    f.child('arch').problem(`${os}/${arch} is not a platform Kubernetes builds a kubelet for (${NODE_PLATFORMS.join(', ')})`);
  } else if (os === 'windows' && kubelet !== false) {
    f.child('os').problem("a Windows kubelet is not modelled: the model's kubelet and container runtime are Linux's (an API-only node, kubelet: false, may be windows)");
  }
  const nodeLabels = labels(f.child('labels'), kubelet !== false);
  const taints = f.child('taints').list().map((t): Taint | undefined => {
    if (!t.map(['key', 'value', 'effect'])) return t.problem('required');
    const key = t.child('key').required((x) => x.string());
    const value = t.child('value').string();
    const effect = t.child('effect').required((x) => x.oneOf(TAINT_EFFECTS));
    return key && effect ? { key, effect, ...(value !== undefined ? { value } : {}) } : undefined;
  });
  const images = f.child('images').list().map((i) => i.string()).filter((i) => i !== undefined);
  const unschedulable = f.child('unschedulable').boolean();
  const joinsLater = f.child('joinsLater').boolean();
  if (kubelet === false && joinsLater) f.problem('a node without a kubelet cannot join later: it exists only as an API object');
  if (name === undefined || cpu === undefined || memory === undefined) return undefined;
  const definition: NodeDefinition = {
    name, allocatable: { cpu, memory, pods },
    ...(os !== undefined ? { os } : {}), ...(arch !== undefined ? { arch } : {}),
    ...(Object.keys(nodeLabels).length > 0 ? { labels: nodeLabels } : {}),
    ...(taints.length > 0 && taints.every((t) => t !== undefined) ? { taints: taints as Taint[] } : {}),
    ...(unschedulable ? { unschedulable: true } : {}), ...(images.length > 0 ? { images } : {}),
    ...(joinsLater ? { startsDown: true as const } : {}), ...(kubelet === false ? { kubelet: false as const } : {}),
  };
  for (const error of validateCreate('nodes', nodeObject(definition, gates), gates)) {
    const { field, note } = fieldOf(f, error, nodeLabels);
    field.problem(`Node ${JSON.stringify(name)} is invalid: ${formatFieldError(error)}${note}`);
  }
  return definition;
}
