// The `operations` section of a scenario file: what the user does at kubectl, in order,
// each at a time since the script's start (`at: 40s`), once a condition holds (`when: {rolloutComplete: deployment/web}`)
// or straight after the one before, translated into the scripted user's operations.
import type { Resource } from '../../model/resources.ts';
import type { UserOp } from '../user.ts';
import { pollsFor, WAIT_POLL_MS, WAIT_TIMEOUT_MS_DEFAULT, type ObjectRef, type WaitCondition } from '../wait-condition.ts';
import type { Field } from './field.ts';
import { objectRef } from './object-ref.ts';


const ACTIONS = ['create', 'scale', 'setImage', 'rolloutUndo', 'pause', 'resume', 'delete', 'cordon', 'uncordon', 'drain', 'patch', 'wait'] as const;
const QUALIFIERS = ['at', 'when', 'namespace'] as const;
const CASCADE = { background: 'Background', foreground: 'Foreground', orphan: 'Orphan' } as const;

/** What the loader knows of the scenario while it reads the operations, in order. */
export interface OperationContext {
  /** The node names the cluster has, for operations that name one. */
  readonly nodes: readonly string[];
  /** `kubectl create -f FILE`: the creates of every object of a manifest file the field names. */
  readonly createAll: (field: Field, namespace: string) => UserOp[];
  /** Whether a manifest or an earlier operation creates the object. */
  readonly creates: (ref: ObjectRef) => boolean;
  /** The latest `at` so far: operations run in order, so a later one cannot be earlier. */
  lastAtMs: number;
}

/**
 * Kinds only a user creates by name: an operation naming one that nobody creates is a mistake.
 * (ReplicaSets are left out: a Deployment's are named by its template's hash, which a user may know.)
 */
const USER_NAMED: readonly Resource[] = ['pods', 'deployments', 'services', 'configmaps', 'secrets'];

/** A problem if `ref` names a node the cluster lacks, or an object of a user-named kind nobody creates. */
function checkExists(f: Field, ref: ObjectRef | undefined, ctx: OperationContext): void {
  if (ref?.resource === 'nodes' && !ctx.nodes.includes(ref.name)) f.problem(unknownNode(ref.name, ctx));
  else if (ref && USER_NAMED.includes(ref.resource) && !ctx.creates(ref)) {
    f.problem(`no manifest or earlier operation creates ${ref.resource === 'pods' ? 'pod' : ref.resource.replace(/s$/, '')}/${ref.name}${ref.namespace !== 'default' ? ` in namespace ${ref.namespace}` : ''}`);
  }
}

const unknownNode = (name: string, ctx: OperationContext) => `unknown node "${name}" (cluster.nodes has ${ctx.nodes.join(', ')})`;

function nodeName(f: Field, ctx: OperationContext): string | undefined {
  const name = f.string();
  if (name !== undefined && !ctx.nodes.includes(name)) return f.problem(unknownNode(name, ctx));
  return name;
}

/** The keys each kind of condition takes besides its own. */
const CONDITION_KEYS = {
  rolloutComplete: ['timeout'], condition: ['of', 'status', 'timeout'], phase: ['of', 'timeout'], deleted: ['timeout'], created: ['timeout'],
} as const;

function condition(f: Field, namespace: string, ctx: OperationContext): { condition: WaitCondition; pollsMax: number } | undefined {
  const present = Object.keys(CONDITION_KEYS).filter((k) => f.child(k).present) as (keyof typeof CONDITION_KEYS)[];
  if (!f.map() || present.length !== 1) {
    return f.problem(`needs exactly one of ${Object.keys(CONDITION_KEYS).join(', ')}${present.length > 1 ? `, got ${present.join(' and ')}` : ''}`);
  }
  const kind = present[0]!;
  f.map([kind, ...CONDITION_KEYS[kind]]);
  const timeoutMs = f.child('timeout').durationMs() ?? WAIT_TIMEOUT_MS_DEFAULT;
  const target = (field: Field, only?: readonly Resource[]) => {
    const ref = objectRef(field, namespace, only);
    checkExists(field, ref, ctx);
    return ref;
  };
  let c: WaitCondition | undefined;
  switch (kind) {
    case 'rolloutComplete': {
      const ref = target(f.child('rolloutComplete'), ['deployments']);
      c = ref && { kind, target: ref };
      break;
    }
    case 'condition': {
      const type = f.child('condition').string();
      const status = f.child('status').oneOf(['True', 'False', 'Unknown']) ?? 'True';
      const ref = target(f.child('of').need());
      c = ref && type !== undefined ? { kind, target: ref, type, status } : undefined;
      break;
    }
    case 'phase': {
      const phase = f.child('phase').oneOf(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);
      const ref = target(f.child('of').need(), ['pods']);
      c = ref && phase !== undefined ? { kind, target: ref, phase } : undefined;
      break;
    }
    case 'deleted': case 'created': {
      const ref = target(f.child(kind));
      c = ref && { kind, target: ref };
      break;
    }
  }
  return c && { condition: c, pollsMax: pollsFor(timeoutMs) };
}

/** The user's operations for one item of `operations`: the wait it asks for, then its action. */
export function operation(f: Field, ctx: OperationContext): UserOp[] {
  if (!f.map([...ACTIONS, ...QUALIFIERS])) return f.present ? [] : (f.problem('required'), []);
  const keys = Object.keys(f.value as object);
  const actions = ACTIONS.filter((a) => keys.includes(a));
  if (actions.length !== 1) return (f.problem(`needs exactly one action (${ACTIONS.join(', ')}), got ${actions.length === 0 ? 'none' : actions.join(' and ')}`), []);
  if (keys.includes('at') && keys.includes('when')) return (f.problem('takes at or when, not both'), []);
  const namespace = f.child('namespace').string() ?? 'default';
  const before: UserOp[] = [];
  const atMs = f.child('at').durationMs();
  if (atMs !== undefined && atMs < ctx.lastAtMs) f.child('at').problem(`is earlier than the at of an operation before it: operations run in order`);
  if (atMs !== undefined) {
    ctx.lastAtMs = Math.max(ctx.lastAtMs, atMs);
    before.push({ op: 'waitUntil', atMs });
  }
  if (f.child('when').present) {
    const w = condition(f.child('when'), namespace, ctx);
    if (w) before.push({ op: 'waitFor', ...w, pollMs: WAIT_POLL_MS });
  }
  const action = actions[0]!;
  const a = f.child(action);
  const done = (...ops: (UserOp | undefined)[]): UserOp[] => (ops.every((o) => o !== undefined) ? [...before, ...(ops as UserOp[])] : []);
  /** The action's object: `deployment/web`, or a map `{object: deployment/web, ...options}`; its options field, if a map. */
  const target = (only: readonly Resource[] | undefined, options: readonly string[]) => {
    const map = typeof a.value === 'string' ? undefined : a.map(['object', ...options]);
    const field = map ? map.child('object').need() : a;
    const ref = objectRef(field, namespace, only);
    checkExists(field, ref, ctx);
    return { ref, options: map };
  };
  switch (action) {
    case 'wait': return done(((ms) => (ms === undefined ? undefined : { op: 'wait', ms } as const))(a.durationMs()));
    case 'create': return [...before, ...ctx.createAll(a, namespace)];
    case 'scale': {
      const { ref, options } = target(['deployments', 'replicasets'], ['replicas']);
      const replicas = (options ?? a).child('replicas').required((x) => x.integer());
      return ref && replicas !== undefined ? done({ op: 'update', resource: ref.resource, namespace, name: ref.name, patch: { spec: { replicas } } }) : [];
    }
    case 'setImage': {
      const { ref, options } = target(['deployments'], ['container', 'image']);
      const container = (options ?? a).child('container').required((x) => x.string());
      const image = (options ?? a).child('image').required((x) => x.string());
      return ref && container && image ? done({ op: 'setImage', namespace, name: ref.name, container, image }) : [];
    }
    case 'rolloutUndo': {
      const { ref, options } = target(['deployments'], ['toRevision']);
      const toRevision = options?.child('toRevision').integer() ?? 0;
      return ref ? done({ op: 'rolloutUndo', namespace, name: ref.name, toRevision }) : [];
    }
    case 'pause': case 'resume': {
      const { ref } = target(['deployments'], []);
      return ref ? done({ op: 'update', resource: 'deployments', namespace, name: ref.name, patch: { spec: { paused: action === 'pause' ? true : null } } }) : [];
    }
    case 'delete': {
      const { ref, options } = target(undefined, ['gracePeriodSeconds', 'cascade']);
      const gracePeriodSeconds = options?.child('gracePeriodSeconds').integer();
      const cascade = options?.child('cascade').oneOf(Object.keys(CASCADE) as (keyof typeof CASCADE)[]);
      if (!ref) return [];
      return done({
        op: 'delete', resource: ref.resource, namespace: ref.namespace, name: ref.name,
        ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}), ...(cascade !== undefined ? { propagationPolicy: CASCADE[cascade] } : {}),
      });
    }
    case 'patch': {
      const { ref, options } = target(undefined, ['merge']);
      const merge = (options ?? a).child('merge').required((x) => x.map());
      return ref && merge ? done({ op: 'update', resource: ref.resource, namespace: ref.namespace, name: ref.name, patch: merge.value }) : [];
    }
    case 'cordon': case 'uncordon': {
      const node = nodeName(a, ctx);
      return node ? done({ op: 'update', resource: 'nodes', namespace: '', name: node, patch: { spec: { unschedulable: action === 'cordon' ? true : null } } }) : [];
    }
    case 'drain': {
      const options = typeof a.value === 'string' ? undefined : a.map(['node', 'force']);
      const node = nodeName(options ? options.child('node').need() : a, ctx);
      const force = options?.child('force').boolean() ?? false;
      return node ? done({ op: 'drain', node, force }) : [];
    }
  }
}
