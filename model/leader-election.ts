// Leader election of the control plane's processes (--leader-elect, on by default). Only the
// leader acts: kube-controller-manager starts its controllers and their informers in
// OnStartedLeading (cmd/kube-controller-manager/app/controllermanager.go); kube-scheduler starts
// its informers at once and only its scheduling loop once it leads (cmd/kube-scheduler/app/
// server.go Run), so its informers are not bound to the lease (scenarios/build.ts). A process that restarts after a crash comes back under a new identity and
// finds the Lease still held by its dead predecessor: client-go's leaderelection.go
// (tryAcquireOrRenew) takes it only once the record it first observed has gone unrenewed for
// LeaseDuration, retrying every RetryPeriod. With the defaults (component-base
// RecommendedDefaultLeaderElectionConfiguration: LeaseDuration 15 s, RetryPeriod 2 s) the new
// process leads at its first retry past 15 s: 16 s after it started. Until then what waits for
// the lease does nothing, as if it were down. The first start of a cluster finds no Lease and leads at once.
// The Lease object itself is not modelled: only the time it takes.
import type { ControlPlaneProcess } from './system.ts';

const LEASE_DURATION_MS = 15_000;
const RETRY_PERIOD_MS = 2_000;

/** How long after a restart the process leads again: its first retry past the lease duration. */
const LEADERLESS_AFTER_RESTART_MS = Math.ceil((LEASE_DURATION_MS + 1) / RETRY_PERIOD_MS) * RETRY_PERIOD_MS;

/** When each process holds its lease (again): it acts from this instant on. */
export type LeaderSince = Readonly<Record<ControlPlaneProcess, number>>;

export const LEADING_FROM_THE_START: LeaderSince = { 'controller-manager': 0, scheduler: 0 };

/** The process restarted at `nowMs`: it leads again LEADERLESS_AFTER_RESTART_MS later. */
export function afterRestart(leaders: LeaderSince, process: ControlPlaneProcess, nowMs: number): LeaderSince {
  return { ...leaders, [process]: nowMs + LEADERLESS_AFTER_RESTART_MS };
}
