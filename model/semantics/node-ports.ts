// Host ports as the NodePorts filter and the kubelet see them. Follows kubernetes/kubernetes
// pkg/scheduler/framework/plugins/nodeports/node_ports.go (getContainerPorts, Fits) and
// pkg/scheduler/framework/types.go HostPortInfo (Add, CheckConflict, sanitize): a port is
// (hostIP, protocol, hostPort); an empty hostIP is 0.0.0.0 and an empty protocol TCP; two
// ports conflict when protocol and port match and either IP is 0.0.0.0 or both are equal.
import type { ContainerPort, PodSpec } from 'kubernetes-types/core/v1.js';
import { SCHEDULABLE, type FilterResult } from './scheduler-framework.ts';

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

const DEFAULT_BIND_ALL_HOST_IP = '0.0.0.0';

export interface HostPort {
  readonly hostIP: string;
  readonly protocol: string;
  readonly port: number;
}

/** The pod's ports that take a host port: its containers' and its sidecars' (restartable init containers). */
export function podHostPorts(spec: PodSpec): HostPort[] {
  const containers = [...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...(spec.containers ?? [])];
  return containers.flatMap((c) => c.ports ?? []).filter((p) => (p.hostPort ?? 0) > 0).map(sanitized);
}

function sanitized(p: ContainerPort): HostPort {
  return { hostIP: p.hostIP || DEFAULT_BIND_ALL_HOST_IP, protocol: p.protocol || 'TCP', port: p.hostPort ?? 0 };
}

/** HostPortInfo.CheckConflict. */
export function portsConflict(a: HostPort, b: HostPort): boolean {
  if (a.protocol !== b.protocol || a.port !== b.port) return false;
  return a.hostIP === DEFAULT_BIND_ALL_HOST_IP || b.hostIP === DEFAULT_BIND_ALL_HOST_IP || a.hostIP === b.hostIP;
}

/** Fits: none of the wanted ports conflicts with one in use on the node. */
export function fitsPorts(wanted: readonly HostPort[], inUse: readonly HostPort[]): boolean {
  return wanted.every((w) => !inUse.some((u) => portsConflict(w, u)));
}

/** The NodePorts Filter. */
export function nodePortsFilter(wanted: readonly HostPort[], inUse: readonly HostPort[]): FilterResult {
  return fitsPorts(wanted, inUse) ? SCHEDULABLE : { schedulable: false, status: { code: 'Unschedulable', reasons: [ERR_REASON_PORTS] } };
}
