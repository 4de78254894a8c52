// A scenario written as a YAML file (see the README's "Writing a scenario"): the cluster's
// nodes, the manifests created at the start, what the user does after, what the containers'
// processes do, which faults strike and how often, the budgets, and the sometimes-goals that
// prove a run went somewhere. Loading checks everything and reports every problem at once,
// each with its file, line and field.
import { dirname, resolve } from 'node:path';
import { CONTROLLERS } from '../../model/controllers/index.ts';
import { FAULT_KINDS, faultProfile, NO_FAULTS, REQUEST_FAILURE_CLIENTS, type FaultProfile } from '../../model/system.ts';
import { RESOURCES, type KubeObject } from '../../model/resources.ts';
import { PROPERTIES } from '../../properties/index.ts';
import { onceNodesRegistered } from '../cluster-up.ts';
import type { ObjectRef } from '../wait-condition.ts';
import type { NodeDefinition, Scenario } from '../scenario.ts';
import type { UserOp } from '../user.ts';
import { dryRunScript } from './dry-run.ts';
import { featureGatesOf } from './feature-gates.ts';
import { Field } from './field.ts';
import { formatProblem, InputError, type Problem } from './input-error.ts';
import { LoadBudget } from './limits.ts';
import { loadManifestFile, type ManifestObject, type Unmodelled } from './manifest-file.ts';
import { node } from './nodes.ts';
import { operation } from './operations.ts';
import { processRule } from './processes.ts';
import { parseYaml } from './yaml-source.ts';

export interface LoadOptions {
  /**
   * Go on without the objects of kinds the model does not store, and without the pod volumes of
   * types it does not model (they are listed as warnings); otherwise they are bad input.
   */
  readonly skipUnmodelled?: boolean;
}

export interface LoadedScenario {
  readonly scenario: Scenario;
  /** The API server's warnings, and what loading set aside when skipping what is not modelled was asked for. */
  readonly warnings: readonly string[];
}

const GOALS = PROPERTIES.filter((p) => p.kind === 'sometimes').map((p) => p.name);

/** Budgets a file may leave out: the ones the built-in workload scenarios use. */
const BUDGET_DEFAULTS = { stepsMax: 200, convergeStepsMax: 6_000, settleMs: 360_000, historyMax: 512, streamQueueMax: 128, faultsMax: 3, faultRarity: 8 };

function faults(f: Field, controllers: boolean, scheduler: boolean): { profile: FaultProfile; faultsMax: number; faultRarity: number } {
  if (!f.present) {
    // What a user gets without saying: the faults every cluster sees, on the components it runs.
    return {
      profile: {
        ...NO_FAULTS, watchDrop: true, containerCrash: true, kubeletRestart: true,
        controllerManagerRestart: controllers, schedulerRestart: scheduler, requestFailure: controllers ? ['controller'] : [],
      },
      faultsMax: BUDGET_DEFAULTS.faultsMax, faultRarity: BUDGET_DEFAULTS.faultRarity,
    };
  }
  f.map(['kinds', 'requestFailure', 'max', 'rarity', 'outagesLastUntilHealed']);
  const kinds = f.child('kinds').list().map((k) => k.oneOf(FAULT_KINDS)).filter((k) => k !== undefined);
  const requestFailure = f.child('requestFailure').list().map((c) => c.oneOf(REQUEST_FAILURE_CLIENTS)).filter((c) => c !== undefined);
  const outagesLastUntilHealed = f.child('outagesLastUntilHealed').boolean();
  return {
    profile: { ...faultProfile(kinds, requestFailure), ...(outagesLastUntilHealed ? { outagesLastUntilHealed } : {}) },
    faultsMax: f.child('max').integer() ?? BUDGET_DEFAULTS.faultsMax,
    faultRarity: f.child('rarity').integer(1) ?? BUDGET_DEFAULTS.faultRarity,
  };
}

/** The controllers the objects need, when the file names none: what a controller-manager would run for them. */
function controllersFor(objects: readonly ManifestObject[], script: readonly UserOp[], profile: FaultProfile): string[] {
  const kinds = new Set(objects.map((o) => o.resource));
  const needed = new Set<string>();
  if (kinds.has('deployments')) ['deployment', 'replicaset'].forEach((c) => needed.add(c));
  if (kinds.has('replicasets')) needed.add('replicaset');
  if (kinds.has('services')) needed.add('endpoints');
  if (script.some((op) => op.op === 'delete' && (op.resource === 'deployments' || op.resource === 'replicasets'))) needed.add('garbage-collector');
  if (profile.nodeCrash || profile.nodePartition) ['node-lifecycle', 'taint-eviction'].forEach((c) => needed.add(c));
  return CONTROLLERS.map((c) => c.name).filter((c) => needed.has(c));
}

/** Every image the objects and operations name: what the registry serves when the file does not say. */
function imagesNamed(objects: readonly ManifestObject[], script: readonly UserOp[]): string[] {
  const images = new Set<string>();
  const visit = (v: unknown, key?: string): void => {
    if (key === 'image' && typeof v === 'string') images.add(v);
    else if (Array.isArray(v)) v.forEach((x) => visit(x));
    else if (typeof v === 'object' && v !== null) Object.entries(v).forEach(([k, x]) => visit(x, k));
  };
  objects.forEach((o) => visit(o.object.spec));
  script.forEach((op) => { if (op.op === 'setImage') images.add(op.image); });
  return [...images];
}

/** Loads a scenario file; throws InputError listing every problem found. */
export function loadScenarioFile(file: string, options: LoadOptions = {}): LoadedScenario {
  const budget = new LoadBudget();
  const source = parseYaml(file, budget);
  const problems: Problem[] = [];
  if (source.documents.length !== 1) throw new InputError([{ file, message: `a scenario file holds one YAML document, this one has ${source.documents.length}` }]);
  const doc = source.documents[0]!;
  const top = new Field(doc, file, problems, [], doc.value);
  if (!top.map(['name', 'description', 'cluster', 'featureGates', 'manifests', 'operations', 'processes', 'faults', 'budgets', 'goals'])) {
    throw new InputError([{ file, line: doc.line, message: 'a scenario file is a map with name, description, cluster, featureGates, manifests, operations, processes, faults, budgets and goals' }]);
  }
  const name = top.child('name').required((x) => x.string());
  // A scenario's name goes into its traces' file names: at most 63 characters, as a DNS label.
  if (name !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) top.child('name').problem('must be lower-case letters, digits and dashes');
  else if (name !== undefined && name.length > 63) top.child('name').problem('must be no more than 63 characters');
  const description = top.child('description').string() ?? '';

  const cluster = top.child('cluster').need().map(['nodes', 'scheduler', 'controllers', 'registry']);
  const featureGates = featureGatesOf(top.child('featureGates'));
  const nodeFields = cluster?.child('nodes').need().list() ?? [];
  const nodes = nodeFields.map((f) => node(f, featureGates));
  // Names as written, even of nodes with other mistakes: operations that name them are not wrong too.
  const nodeNames = nodeFields.flatMap((f) => (typeof f.child('name').value === 'string' ? [f.child('name').value as string] : []));
  nodeNames.forEach((n, i) => { if (nodeNames.indexOf(n) !== i) nodeFields[i]!.child('name').problem(`duplicate node name "${n}"`); });
  const scheduler = cluster?.child('scheduler').boolean() ?? true;

  // Manifests are created first, in order, then the operations run.
  const dir = dirname(file);
  const objects: ManifestObject[] = [];
  const unmodelled: Unmodelled[] = [];
  const apiWarnings: Problem[] = [];
  /** Where each object created came from, for the dry run's problems. */
  const sources = new Map<KubeObject, ManifestObject>();
  const created: ObjectRef[] = [];
  const createAll = (f: Field, namespace: string): UserOp[] => {
    const path = f.string();
    if (path === undefined) return f.present ? [] : (f.problem('required'), []);
    try {
      const loaded = loadManifestFile(resolve(dir, path), budget);
      if (loaded.objects.length === 0 && loaded.unmodelled.length === 0) return (f.problem(`${path}: no objects passed to create`), []);
      // Appended one by one: a spread passes each as an argument, and a long list overflows the stack.
      for (const u of loaded.unmodelled) unmodelled.push(u);
      for (const w of loaded.warnings) apiWarnings.push(w);
      for (const o of loaded.objects) objects.push(o);
      return loaded.objects.map((o): UserOp => {
        sources.set(o.object, o);
        const ns = RESOURCES[o.resource].namespaced ? o.object.metadata.namespace ?? namespace : '';
        created.push({ resource: o.resource, namespace: ns, name: o.object.metadata.name ?? '' });
        return { op: 'create', resource: o.resource, namespace: ns, object: o.object };
      });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      if (e.problems.length === 1 && e.problems[0]!.line === undefined) return (f.problem(`${path}: ${e.problems[0]!.message}`), []);
      for (const p of e.problems) problems.push(p);
      return [];
    }
  };
  const script: UserOp[] = top.child('manifests').list().flatMap((m) => createAll(m, 'default'));
  const creates = (ref: ObjectRef) => created.some((c) => c.resource === ref.resource && c.namespace === ref.namespace && c.name === ref.name);
  const operations = { nodes: nodeNames, createAll, creates, lastAtMs: 0 };
  for (const op of top.child('operations').list().flatMap((o) => operation(o, operations))) script.push(op);
  for (const o of objects) {
    const nodeName = (o.object.spec as { nodeName?: string } | undefined)?.nodeName;
    if (o.resource === 'pods' && nodeName !== undefined && !nodeNames.includes(nodeName)) {
      problems.push({ file: o.file, line: o.lineOf(['spec', 'nodeName']), message: `Pod ${JSON.stringify(o.object.metadata.name)}: spec.nodeName names "${nodeName}", which is not in the scenario's cluster.nodes (${nodeNames.join(', ')})` });
    }
    if (o.resource === 'nodes') problems.push({ file: o.file, line: o.line, message: `Node ${JSON.stringify(o.object.metadata.name)}: nodes are declared under cluster.nodes in the scenario file, not as manifests` });
    const unbound = o.resource === 'pods' ? nodeName === undefined
      : (o.resource === 'deployments' || o.resource === 'replicasets') && (o.object.spec as { template?: { spec?: { nodeName?: string } } } | undefined)?.template?.spec?.nodeName === undefined;
    if (!scheduler && unbound) {
      problems.push({ file: o.file, line: o.line, message: `${o.object.kind} ${JSON.stringify(o.object.metadata.name)}: its pods name no spec.nodeName, and cluster.scheduler is false: nothing would ever bind them` });
    }
  }
  const budgets = top.child('budgets').map(['stepsMax', 'convergeStepsMax', 'settle', 'historyMax', 'streamQueueMax']);
  const historyMax = budgets?.child('historyMax').integer(1) ?? BUDGET_DEFAULTS.historyMax;
  const streamQueueMax = budgets?.child('streamQueueMax').integer(1) ?? BUDGET_DEFAULTS.streamQueueMax;
  const stepsMax = budgets?.child('stepsMax').integer() ?? BUDGET_DEFAULTS.stepsMax;
  const convergeStepsMax = budgets?.child('convergeStepsMax').integer() ?? BUDGET_DEFAULTS.convergeStepsMax;
  const settleMs = budgets?.child('settle').durationMs() ?? BUDGET_DEFAULTS.settleMs;
  for (const p of dryRunScript(script, sources, historyMax, featureGates)) problems.push(p);
  if (unmodelled.length > 0 && !options.skipUnmodelled) {
    for (const u of unmodelled) problems.push({ file: u.file, line: u.line, message: `${u.what}: ${u.reason} (run with --skip-unmodelled to go on without it)` });
  }

  const controllerNames = CONTROLLERS.map((c) => c.name);
  const controllersField = cluster?.child('controllers');
  const controllers = controllersField?.present
    ? controllersField.list().map((c) => c.oneOf(controllerNames)).filter((c) => c !== undefined)
    : undefined;
  const registryField = cluster?.child('registry');
  const registry = registryField?.present ? registryField.list().map((r) => r.string()).filter((r) => r !== undefined) : imagesNamed(objects, script);
  const fault = faults(top.child('faults'), (controllers ?? controllersFor(objects, script, NO_FAULTS)).length > 0, scheduler);
  const behaviours = top.child('processes').list().map(processRule);
  const goalsField = top.child('goals');
  const goals = goalsField.list().map((g) => {
    const goal = g.string();
    if (goal !== undefined && !GOALS.includes(goal)) return g.problem(`"${goal}" is not a sometimes-goal (kubeprop list shows them: ${GOALS.join(', ')})`);
    return goal;
  });
  if (goals.length === 0) goalsField.problem(`name at least one sometimes-goal that proves a run went somewhere (kubeprop list shows them: ${GOALS.join(', ')})`);

  if (problems.length > 0) throw new InputError(problems);
  const warnings = [
    ...apiWarnings.map(formatProblem),
    ...unmodelled.map((u) => formatProblem({ file: u.file, line: u.line, message: `${u.what}: ${u.reason}, ${u.leftOut}` })),
  ];
  const scenario: Scenario = {
    name: name!, description, source: { path: resolve(file), skipUnmodelled: options.skipUnmodelled === true },
    informers: [], users: [{ name: 'alice', script: onceNodesRegistered(nodes as NodeDefinition[], script) }],
    nodes: nodes as NodeDefinition[], scheduler, controllers: controllers ?? controllersFor(objects, script, fault.profile),
    registry, behaviours: behaviours as NonNullable<(typeof behaviours)[number]>[],
    faults: fault.profile,
    bounds: { faultsMax: fault.faultsMax, historyMax, streamQueueMax },
    featureGates,
    stepsMax, convergeStepsMax, settleMs,
    faultRarity: fault.faultRarity,
    goals: goals as string[],
  };
  return { scenario, warnings };
}
