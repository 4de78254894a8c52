// Builds the System a scenario runs on, from the machines that play each part.
// Planted defects (test/defects) swap one machine for a `machine.provide(...)` variant.
import type { AnyStateMachine } from 'xstate';
import { CONTROLLERS } from '../model/controllers/index.ts';
import { DEFAULT_FEATURE_GATES } from '../model/feature-gates.ts';
import { NON_TERMINAL_PODS, type FieldSelector } from '../model/field-selector.ts';
import { informerMachine, type InformerMachine } from '../model/informer.ts';
import { normalizedImage } from '../model/image-ref.ts';
import { kubeletMachine, type KubeletInput, type KubeletMachine } from '../model/kubelet/machine.ts';
import { nodeObject } from '../model/node-object.ts';
import { RUNS_FOREVER, type ProcessBehaviour } from '../model/process.ts';
import type { Resource } from '../model/resources.ts';
import { runtimeMachine, type RuntimeMachine } from '../model/runtime.ts';
import { schedulerMachine, type SchedulerInput, type SchedulerMachine } from '../model/scheduler/machine.ts';
import { storeMachine, type StoreMachine } from '../model/store.ts';
import type { ClientSpec, ControllerManagerSpec, NodeSpec, SchedulerSpec, System } from '../model/system.ts';
import type { BehaviourRule, Scenario } from './scenario.ts';
import { userMachine, type UserMachine } from './user.ts';

export interface Machines {
  readonly store: StoreMachine;
  readonly informer: InformerMachine;
  readonly user: UserMachine;
  readonly kubelet: KubeletMachine;
  readonly runtime: RuntimeMachine;
  readonly scheduler: SchedulerMachine;
  /** The machine of each controller, by name; a defect overrides one and keeps the rest. */
  readonly controllers: Readonly<Record<string, AnyStateMachine>>;
}

export const DEFAULT_MACHINES: Machines = {
  store: storeMachine, informer: informerMachine, user: userMachine, kubelet: kubeletMachine, runtime: runtimeMachine, scheduler: schedulerMachine,
  controllers: Object.fromEntries(CONTROLLERS.map((c) => [c.name, c.machine])),
};

/** Every component machine, for measuring which of their states and handlers a check exercised. */
export const COMPONENT_MACHINES: readonly AnyStateMachine[] = [
  DEFAULT_MACHINES.store, DEFAULT_MACHINES.informer, DEFAULT_MACHINES.user, DEFAULT_MACHINES.kubelet, DEFAULT_MACHINES.runtime,
  DEFAULT_MACHINES.scheduler, ...CONTROLLERS.map((c) => c.machine),
];

function behaviourOf(rules: readonly BehaviourRule[]): System['behaviour'] {
  return (podKey, container, image): ProcessBehaviour => {
    const rule = rules.find((r) =>
      (r.image === undefined || normalizedImage(r.image) === image) && (r.container === undefined || r.container === container) &&
      (r.pod === undefined || r.pod === podKey));
    return rule?.behaviour ?? RUNS_FOREVER;
  };
}

/**
 * Adds an informer of `resource` feeding the client `owner`, on its owner's node; returns its
 * index. It lists and watches whether or not its owner's process leads: kube-scheduler starts
 * its informers before leader election (cmd/kube-scheduler/app/server.go Run, with
 * DelayCacheUntilActive false by default), so a scheduler waiting for its lease has a warm cache.
 */
function addInformer(clients: ClientSpec[], machines: Machines, owner: number, resource: Resource, selector?: FieldSelector): number {
  const { node } = clients[owner]!;
  clients.push({
    id: `${resource} -> ${clients[owner]!.id}`, kind: 'informer', machine: machines.informer,
    input: { resource, ...(selector !== undefined ? { selector } : {}) }, resource, owners: [owner],
    ...(node !== undefined ? { node } : {}),
  });
  return clients.length - 1;
}

/** The scheduler, with its feature gates, and its informers: pods that still hold resources (pkg/scheduler newPodInformer), and nodes. */
function addScheduler(clients: ClientSpec[], machines: Machines, input: SchedulerInput): SchedulerSpec {
  const client = clients.length;
  clients.push({ id: 'scheduler', kind: 'scheduler', machine: machines.scheduler, input, process: 'scheduler' });
  return {
    client,
    informers: { pods: addInformer(clients, machines, client, 'pods', NON_TERMINAL_PODS), nodes: addInformer(clients, machines, client, 'nodes') },
  };
}

/**
 * The controller-manager running the named controllers, and one shared informer per resource
 * they need (SharedInformerFactory), each feeding every controller that reads it.
 */
function addControllerManager(clients: ClientSpec[], machines: Machines, names: readonly string[]): ControllerManagerSpec {
  const first = clients.length;
  const definitions = names.map((name) => {
    const definition = CONTROLLERS.find((c) => c.name === name);
    if (!definition) throw new Error(`kubeprop: no controller named ${JSON.stringify(name)} (known: ${CONTROLLERS.map((c) => c.name).join(', ')})`);
    return definition;
  });
  const resources = [...new Set(definitions.flatMap((d) => d.resources))];
  const informerIndex = (resource: Resource) => first + definitions.length + resources.indexOf(resource);
  definitions.forEach((d) => {
    const informers = Object.fromEntries(d.resources.map((r) => [r, informerIndex(r)]));
    clients.push({ id: `${d.name} controller`, kind: 'controller', machine: machines.controllers[d.name]!, input: undefined, informers, process: 'controller-manager' });
  });
  for (const resource of resources) {
    const owners = definitions.flatMap((d, i) => (d.resources.includes(resource) ? [first + i] : []));
    clients.push({ id: `${resource} -> controller-manager`, kind: 'informer', machine: machines.informer, input: { resource }, resource, owners, process: 'controller-manager' });
  }
  return { controllers: definitions.map((d, i) => ({ client: first + i, name: d.name })), informers: resources.map(informerIndex) };
}

export function buildSystem(scenario: Scenario, overrides: Partial<Machines> = {}): System {
  const machines = { ...DEFAULT_MACHINES, ...overrides, controllers: { ...DEFAULT_MACHINES.controllers, ...overrides.controllers } };
  const clients: ClientSpec[] = [
    ...scenario.informers.map((i): ClientSpec => ({
      id: `${i.resource} -> ${i.client}`, kind: 'informer', machine: machines.informer, input: { resource: i.resource }, resource: i.resource,
    })),
    ...scenario.users.map((u): ClientSpec => ({
      id: `user ${u.name}`, kind: 'user', machine: machines.user, input: { script: u.script },
    })),
  ];
  const featureGates = scenario.featureGates ?? DEFAULT_FEATURE_GATES;
  const scheduler = scenario.scheduler ? addScheduler(clients, machines, { featureGates }) : null;
  const controllerManager = (scenario.controllers ?? []).length > 0 ? addControllerManager(clients, machines, scenario.controllers ?? []) : null;
  const nodes: NodeSpec[] = scenario.nodes.filter((n) => n.kubelet !== false).map((n, node) => {
    const kubelet = clients.length;
    const input: KubeletInput = { node: n.name, registration: nodeObject(n, featureGates), featureGates };
    clients.push({ id: `kubelet ${n.name}`, kind: 'kubelet', machine: machines.kubelet, input, node });
    const informers = {
      pods: addInformer(clients, machines, kubelet, 'pods', { nodeName: n.name }),
      configmaps: addInformer(clients, machines, kubelet, 'configmaps'),
      secrets: addInformer(clients, machines, kubelet, 'secrets'),
      nodes: addInformer(clients, machines, kubelet, 'nodes', { name: n.name }),
    };
    return { name: n.name, runtime: machines.runtime, images: (n.images ?? []).map(normalizedImage), kubelet, informers, startsDown: n.startsDown === true };
  });
  const apiOnlyNodes = scenario.nodes.filter((n) => n.kubelet === false).map((n) => ({ resource: 'nodes' as const, object: nodeObject(n, featureGates) }));
  return {
    store: machines.store, clients, nodes, scheduler, controllerManager, faults: scenario.faults, bounds: scenario.bounds,
    featureGates,
    initialObjects: [...apiOnlyNodes, ...(scenario.objects ?? [])],
    registry: new Set(scenario.registry.map(normalizedImage)), behaviour: behaviourOf(scenario.behaviours),
  };
}
