// Action labels: stable, readable, a function of the world the action is taken in
// (`deliver watch configmaps -> reader-1: MODIFIED default/cm-3 rv 12`,
// `kubelet node-1 sync default/web: start container nginx`).
import type { Action } from './actions.ts';
import { logFirst } from './append-log.ts';
import { componentOf, workDeadlineMs } from './latency.ts';
import { describeRequest } from './requests.ts';
import type { RuntimeContext, RuntimeEvent } from './runtime.ts';
import { step } from './step.ts';
import { oldestServableRv } from './store-read.ts';
import type { KubeletContext } from './kubelet/context.ts';
import type { SchedulerContext } from './scheduler/context.ts';
import { head } from './scheduler/queue.ts';
import { schedulerContext } from './step-scheduler.ts';
import type { World } from './world.ts';

function describeOp(runtime: RuntimeContext, op: RuntimeEvent | null): string {
  if (op === null) return 'nothing to do';
  const name = (id: string) => runtime.containers.get(id)?.name ?? id;
  switch (op.type) {
    case 'PULL_IMAGE': return `pull image ${op.image}`;
    case 'RUN_SANDBOX': return 'run pod sandbox';
    case 'REMOVE_SANDBOX': return 'remove pod sandbox';
    case 'CREATE_CONTAINER': return `create container ${op.name}`;
    case 'START_CONTAINER': return `start container ${name(op.id)}`;
    case 'REMOVE_CONTAINER': return `remove container ${name(op.id)}`;
    case 'RUN_PRESTOP_HOOK': return `run preStop hook of container ${name(op.id)}`;
    case 'STOP_CONTAINER': return `stop container ${name(op.id)} (SIGTERM)`;
    case 'KILL_CONTAINER': return `kill container ${name(op.id)} (SIGKILL)`;
    default: return op.type;
  }
}

export function label(world: World, action: Action): string {
  const clientId = (i: number) => world.system.clients[i]!.id;
  const nodeName = (i: number) => world.system.nodes[i]!.name;
  switch (action.kind) {
    case 'send': {
      const spec = world.system.clients[action.client]!;
      const request = world.clients[action.client]!.context.request!;
      if (spec.kind === 'informer') {
        if (request.verb === 'list') {
          return action.lagging
            ? `list ${spec.id} from a lagging apiserver at rv ${oldestServableRv(world.store.context, request.resourceVersion)}`
            : `list ${spec.id} rv=${JSON.stringify(request.resourceVersion)}`;
        }
        if (request.verb === 'watch') return `watch ${spec.id} from rv ${request.resourceVersion}`;
      }
      return `${spec.id}: ${describeRequest(request)}`;
    }
    case 'deliver': {
      const stream = world.streams[action.client]!;
      const event = logFirst(stream.queue);
      if (event) return `deliver watch ${clientId(action.client)}: ${event.type} ${event.key} rv ${event.rv}`;
      const end = stream.end!;
      return `deliver watch ${clientId(action.client)}: ${end.kind === 'closed' ? `closed (${end.why})` : `error ${end.status.code} ${end.status.reason}`}`;
    }
    case 'tick': return `tick to ${action.toMs}ms`;
    case 'stall': {
      const late = [...new Set(action.busy.filter((c) => workDeadlineMs(world, c) < action.toMs).map((c) => componentOf(world.system, c)))];
      return `stall: tick to ${action.toMs}ms while ${late.join(', ')} ${late.length === 1 ? 'waits' : 'wait'}`;
    }
    case 'dropWatch': return `drop watch ${clientId(action.client)}`;
    case 'failWatch': return `fail watch ${clientId(action.client)} with 500 InternalError`;
    case 'compact': return `compact store at rv ${world.store.context.rv}`;
    case 'sync': {
      const node = world.system.nodes[action.node]!;
      const kubelet = world.clients[node.kubelet]!.context as KubeletContext;
      const after = step(world, action).clients[node.kubelet]!.context as KubeletContext;
      return `kubelet ${node.name} sync ${kubelet.workers.get(action.uid)?.key ?? action.uid}: ${describeOp(world.nodes[action.node]!.runtime.context, after.op)}`;
    }
    case 'probe': {
      const slot = (world.clients[world.system.nodes[action.node]!.kubelet]!.context as KubeletContext).probes.get(action.slot)!;
      return `probe ${slot.type} ${slot.podKey}/${slot.container} on ${nodeName(action.node)} ${action.passed ? 'passes' : 'fails'}${action.fault ? ' (fault)' : ''}`;
    }
    case 'exit': {
      const c = world.nodes[action.node]!.runtime.context.containers.get(action.container)!;
      return action.fault
        ? `crash container ${c.podKey}/${c.name} on ${nodeName(action.node)} (exit ${action.exitCode})`
        : `container ${c.podKey}/${c.name} on ${nodeName(action.node)} exits ${action.exitCode}`;
    }
    case 'crashNode': return `crash node ${nodeName(action.node)}`;
    case 'rebootNode': return `reboot node ${nodeName(action.node)}`;
    case 'partitionNode': return `partition node ${nodeName(action.node)} from the API server`;
    case 'reconnectNode': return `reconnect node ${nodeName(action.node)} to the API server`;
    case 'restartKubelet': return `restart kubelet on ${nodeName(action.node)}`;
    case 'registryDown': return 'image registry goes down';
    case 'registryUp': return 'image registry comes back';
    case 'schedule': return `scheduler: ${describeCycle(schedulerContext(world), schedulerContext(step(world, action)))}`;
    case 'pickNode': {
      const picking = schedulerContext(world).picking!;
      return `scheduler: pick ${picking.best[action.index]} for ${picking.queued.key} (${action.index + 1} of ${picking.best.length} tied at score ${picking.score})`;
    }
    case 'restartScheduler': return 'restart scheduler';
    case 'reconcile': return `${clientId(action.client)}: reconcile ${action.key}`;
    case 'restartControllerManager': return 'restart controller-manager';
    case 'refuseRequest': return `${clientId(action.client)}: ${describeRequest(world.clients[action.client]!.context.request!)} refused (503 ServiceUnavailable)`;
    case 'loseReply': return `${clientId(action.client)}: ${describeRequest(world.clients[action.client]!.context.request!)} applied, reply lost (504 Timeout)`;
  }
}

/** What a scheduling cycle did, read off the scheduler before and after it. */
function describeCycle(before: SchedulerContext, after: SchedulerContext): string {
  const queued = head(before)!;
  const pod = queued.key;
  if (after.picking?.queued.uid === queued.uid) return `schedule ${pod}: ${after.picking.best.length} nodes tie at score ${after.picking.score}`;
  const assumed = after.pods.get(queued.uid);
  if (assumed?.assumed && !before.pods.has(queued.uid)) return `schedule ${pod} on ${assumed.nodeName}`;
  if (after.unschedulable.has(queued.uid)) return `schedule ${pod}: no node fits`;
  if (after.backoffQ.some((p) => p.uid === queued.uid)) return `schedule ${pod}: no nodes at all, retried after a backoff`;
  return `skip ${pod}: gone, being deleted or already assumed`;
}
