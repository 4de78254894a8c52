// Pods as `kubectl get pods` prints them: NAME, READY, STATUS, RESTARTS, AGE, with STATUS
// worked out as kubectl's printPod does (pkg/printers/internalversion/printers.go): the
// phase, replaced by an init container's or the last container's waiting or terminated
// reason, by Terminating while a deletion is pending. Ages are against logical time. Pods
// outside the default namespace are listed as `kubectl get pods -A` lists them, with a
// NAMESPACE column first (kubectl's printer adds it for --all-namespaces).
import type { ContainerStatus, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import { EPOCH_MS } from '../model/clock.ts';
import type { KubeObject } from '../model/resources.ts';
import { isSidecar } from '../model/semantics/pod-phase.ts';

export interface PodRow {
  readonly namespace: string;
  readonly name: string;
  readonly ready: string;
  readonly status: string;
  readonly restarts: string;
  readonly age: string;
}

/** apimachinery's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${days / 365}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

function since(time: string | undefined, nowMs: number): string {
  return time === undefined ? '<unknown>' : humanDuration(EPOCH_MS + nowMs - Date.parse(time));
}

function lastFinishedMs(statuses: readonly ContainerStatus[]): number | null {
  let latest: number | null = null;
  for (const s of statuses) {
    const at = s.lastState?.terminated?.finishedAt;
    if (at !== undefined && (latest === null || Date.parse(at) > latest)) latest = Date.parse(at);
  }
  return latest;
}

function terminatedReason(s: ContainerStatus, prefix: string): string {
  const t = s.state!.terminated!;
  if (t.reason) return prefix + t.reason;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode}`;
}

/** One pod's row, at logical time `nowMs`. */
export function podRow(pod: KubeObject, nowMs: number): PodRow {
  const spec = pod.spec as PodSpec;
  const status = (pod.status ?? {}) as PodStatus;
  const sidecars = new Set((spec.initContainers ?? []).filter(isSidecar).map((c) => c.name));
  let reason = status.reason || status.phase || '';
  let ready = 0;
  let restarts = 0;
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (const [i, s] of initStatuses.entries()) {
    restarts += s.restartCount;
    if (s.state?.terminated?.exitCode === 0) continue;
    if (sidecars.has(s.name) && s.started) {
      if (s.ready) ready++;
      continue;
    }
    initializing = true;
    if (s.state?.terminated) reason = terminatedReason(s, 'Init:');
    else if (s.state?.waiting?.reason && s.state.waiting.reason !== 'PodInitializing') reason = `Init:${s.state.waiting.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    break;
  }
  const initialized = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  let lastRestartMs = lastFinishedMs(initStatuses);
  if (!initializing || initialized) {
    const sidecarStatuses = initStatuses.filter((s) => sidecars.has(s.name));
    restarts = sidecarStatuses.reduce((n, s) => n + s.restartCount, 0);
    lastRestartMs = lastFinishedMs([...sidecarStatuses, ...(status.containerStatuses ?? [])]);
    let hasRunning = false;
    for (const s of [...(status.containerStatuses ?? [])].reverse()) {
      restarts += s.restartCount;
      if (s.state?.waiting?.reason) reason = s.state.waiting.reason;
      else if (s.state?.terminated) reason = terminatedReason(s, '');
      else if (s.ready && s.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';
  const total = (spec.containers ?? []).length + sidecars.size;
  return {
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    ready: `${ready}/${total}`,
    status: reason,
    restarts: restarts !== 0 && lastRestartMs !== null ? `${restarts} (${humanDuration(EPOCH_MS + nowMs - lastRestartMs)} ago)` : String(restarts),
    age: since(pod.metadata.creationTimestamp, nowMs),
  };
}

/**
 * The table, columns padded as kubectl's tabwriter pads them (three spaces between), pods in
 * the order given (the API server lists them by namespace, then name). Pods all in `default`
 * are what `kubectl get pods` prints; any elsewhere, and the table is `kubectl get pods -A`,
 * whose NAMESPACE column tells the pods of each namespace apart (the model's `run` shows every
 * pod of the cluster, which one namespace's listing would not).
 */
export function podTable(pods: readonly KubeObject[], nowMs: number): string {
  const header: PodRow = { namespace: 'NAMESPACE', name: 'NAME', ready: 'READY', status: 'STATUS', restarts: 'RESTARTS', age: 'AGE' };
  const rows = [header, ...pods.map((p) => podRow(p, nowMs))];
  const allNamespaces = pods.some((p) => p.metadata.namespace !== 'default');
  const columns = [...(allNamespaces ? ['namespace'] as const : []), 'name', 'ready', 'status', 'restarts', 'age'] as const;
  const widths = columns.map((c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => columns.map((c, i) => (i === columns.length - 1 ? r[c] : r[c].padEnd(widths[i]! + 3))).join('')).join('\n');
}
