// Time passes as it does in a cluster: without a stall fault, no component's pending work waits
// while the clock moves more than a second past when it became due (or the component last did
// some of it), whatever else goes wrong; a stall is a step of its own, in the fault budget; and
// a restarted controller-manager or scheduler acts again only once it holds its leader lease.
import { describe, expect, it } from 'vitest';
import { seededChooser } from '../checker/chooser.ts';
import { pickAction } from '../checker/pick.ts';
import { label } from '../model/action-labels.ts';
import type { Action } from '../model/actions.ts';
import { enabled } from '../model/enabled.ts';
import { step } from '../model/step.ts';
import { FAULT_KINDS, faultProfile, NO_FAULTS, REQUEST_FAILURE_CLIENTS, type FaultProfile, type System } from '../model/system.ts';
import { initialWorld, type World } from '../model/world.ts';
import { buildSystem } from '../scenarios/build.ts';
import { findScenario } from '../scenarios/index.ts';
import { podDeletion } from '../scenarios/pod-lifecycle.ts';
import type { Scenario } from '../scenarios/scenario.ts';

/** A second: the latency SLO of the API server for single-object calls, and the kubelet's sync period. */
const BOUND_MS = 1000;

/** The client whose work an action does (the test's own reading of the actions), or null. */
function worker(system: System, a: Action): number | null {
  switch (a.kind) {
    case 'deliver': case 'send': case 'refuseRequest': case 'loseReply': case 'reconcile': return a.client;
    case 'sync': return system.nodes[a.node]!.kubelet;
    case 'schedule': case 'pickNode': return system.scheduler!.client;
    default: return null;
  }
}

interface Walk {
  readonly system: System;
  /** The longest any client's work waited as the clock moved past it, and where. */
  readonly longestWaitMs: number;
  readonly where: string;
  readonly labels: readonly string[];
  /** The labels of the steps that moved the clock more than BOUND_MS past some client's waiting work. */
  readonly latePasses: readonly string[];
}

/** One run chosen as exploration chooses, tracking how long each client's work waits on the clock. */
function walk(scenario: Scenario, profile: FaultProfile, seed: number, stepsMax: number): Walk {
  const system = buildSystem({ ...scenario, faults: profile });
  const chooser = seededChooser(seed, stepsMax);
  let world: World = initialWorld(system);
  const since = new Map<number, number>();
  let longestWaitMs = 0;
  let where = '';
  const labels: string[] = [];
  const latePasses: string[] = [];
  for (;;) {
    const actions = enabled(world, { faults: true });
    const busy = new Set(actions.map((a) => worker(system, a)).filter((c) => c !== null));
    for (const c of [...since.keys()]) if (!busy.has(c)) since.delete(c);
    for (const c of busy) if (!since.has(c)) since.set(c, world.nowMs);
    const picked = pickAction(chooser, actions, scenario.faultRarity);
    if (picked === null) break;
    const a = picked.action;
    labels.push(label(world, a));
    const next = step(world, a);
    if (next.nowMs > world.nowMs) {
      for (const [c, at] of since) {
        if (next.nowMs - at > longestWaitMs) {
          longestWaitMs = next.nowMs - at;
          where = `${system.clients[c]!.id} waited from ${at}ms to ${next.nowMs}ms at step ${labels.length}: ${labels.at(-1)}`;
        }
      }
      if ([...since.values()].some((at) => next.nowMs - at > BOUND_MS)) latePasses.push(labels.at(-1)!);
    }
    const w = worker(system, a);
    if (w !== null) since.set(w, next.nowMs);
    world = next;
  }
  return { system, longestWaitMs, where, labels, latePasses };
}

const ALL_BUT_STALL = faultProfile(FAULT_KINDS.filter((k) => k !== 'stall'), [...REQUEST_FAILURE_CLIENTS]);
const SCENARIOS = ['nginx-deployment', 'node-workload', 'scheduling-resources', 'garbage-collection', 'node-failure-mid-rollout'].map((n) => findScenario(n)!);

describe('latency bounds', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s: with every fault but stall, no work waits more than a second on the clock', (_name, scenario) => {
    for (let seed = 0; seed < 10; seed++) {
      const w = walk(scenario, ALL_BUT_STALL, seed, scenario.stepsMax);
      expect(w.longestWaitMs, w.where).toBeLessThanOrEqual(BOUND_MS);
    }
  });

  it('the clock does move while work waits, up to the bound: the walks are not vacuous', () => {
    // Seed 0 of scheduling-resources moves the clock to a deadline one second after the moment
    // some work became due (a second the bound allows), with the work still waiting.
    expect(walk(findScenario('scheduling-resources')!, ALL_BUT_STALL, 0, 150).longestWaitMs).toBe(BOUND_MS);
  });

  it('with stalls on, the clock passes waiting work only as a stall step, counted in the fault budget', () => {
    const scenario = findScenario('nginx-deployment')!;
    const profile = { ...NO_FAULTS, stall: true };
    let stalls = 0;
    for (let seed = 0; seed < 10; seed++) {
      const w = walk({ ...scenario, bounds: { ...scenario.bounds, faultsMax: 2 } }, profile, seed, scenario.stepsMax);
      expect(w.latePasses.filter((l) => !l.startsWith('stall: '))).toEqual([]);
      const taken = w.labels.filter((l) => l.startsWith('stall: '));
      expect(taken.length).toBeLessThanOrEqual(2);
      stalls += taken.length;
    }
    expect(stalls).toBeGreaterThan(0);
  });

  it('names the components a stall keeps waiting', () => {
    const w = walk(findScenario('nginx-deployment')!, { ...NO_FAULTS, stall: true }, 3, 200);
    expect(w.labels.find((l) => l.startsWith('stall: '))).toBe('stall: tick to 10000ms while scheduler, controller-manager wait');
  });

  it('a kubelet stops a deleted pod within two seconds of its deletion when nothing goes wrong', () => {
    // With no faults: the deletion reaches the kubelet's informer within a second, and its pod
    // worker sends SIGTERM within a second more (the issue this pins: 561 s, before bounds).
    let longestMs = 0;
    let sigterms = 0;
    for (let seed = 0; seed < 30; seed++) {
      const system = buildSystem({ ...podDeletion, faults: NO_FAULTS });
      const chooser = seededChooser(seed, 400);
      let world = initialWorld(system);
      const deletedAtMs = new Map<string, number>();
      for (;;) {
        const picked = pickAction(chooser, enabled(world, { faults: true }), podDeletion.faultRarity);
        if (picked === null) break;
        const next = step(world, picked.action);
        for (const pod of next.store.context.objects.pods?.values() ?? []) {
          const name = pod.metadata.name ?? '';
          if (pod.metadata.deletionTimestamp && !deletedAtMs.has(name)) deletedAtMs.set(name, next.nowMs);
        }
        for (const c of next.nodes[0]!.runtime.context.containers.values()) {
          const deleted = deletedAtMs.get(c.podKey.slice('default/'.length));
          if (c.sigtermAtMs === null || deleted === undefined || world.nodes[0]!.runtime.context.containers.get(c.id)?.sigtermAtMs !== null) continue;
          sigterms++;
          longestMs = Math.max(longestMs, c.sigtermAtMs - deleted);
        }
        world = next;
      }
    }
    expect(sigterms).toBe(60);
    // Within the two seconds the bounds allow; in logical time, an idle cluster does the work at
    // the very instant it becomes due.
    expect(longestMs).toBe(0);
  });

  it('without faults, no rollout of nginx-deployment exceeds its 600 s progress deadline (4 runs in 10 did, before bounds)', () => {
    const scenario = findScenario('nginx-deployment')!;
    let rolloutsSeen = 0;
    for (let seed = 0; seed < 10; seed++) {
      const system = buildSystem({ ...scenario, faults: NO_FAULTS });
      const chooser = seededChooser(seed, scenario.stepsMax);
      let world = initialWorld(system);
      for (;;) {
        const picked = pickAction(chooser, enabled(world, { faults: true }), scenario.faultRarity);
        if (picked === null) break;
        world = step(world, picked.action);
        for (const d of world.store.context.objects.deployments?.values() ?? []) {
          const progressing = ((d.status as { conditions?: { type: string; reason?: string }[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Progressing');
          expect(progressing?.reason, `seed ${seed} at ${world.nowMs}ms`).not.toBe('ProgressDeadlineExceeded');
          if (progressing?.reason === 'NewReplicaSetAvailable') rolloutsSeen++;
        }
      }
    }
    expect(rolloutsSeen).toBeGreaterThan(0);
  });

  it('a restarted controller-manager lists again only once it leads, 16 s after the restart', () => {
    const scenario = findScenario('replicaset-basics')!;
    const system = buildSystem({ ...scenario, faults: { ...NO_FAULTS, controllerManagerRestart: true } });
    let world = initialWorld(system);
    const take = (pick: (a: Action) => boolean) => {
      const actions = enabled(world, { faults: true });
      const a = actions.find(pick);
      if (!a) throw new Error(`nothing to take at ${world.nowMs}ms: ${actions.map((x) => label(world, x)).join(' | ')}`);
      world = step(world, a);
    };
    take((a) => a.kind === 'restartControllerManager');
    const listsNow = () => enabled(world, { faults: false }).filter((a) => label(world, a).endsWith('-> controller-manager rv="0"'));
    expect(listsNow()).toEqual([]);
    // Fair progress until the clock reaches the lease: the lists come then, not before.
    for (let i = 0; i < 2000 && world.nowMs < 16_000; i++) {
      expect(listsNow()).toEqual([]);
      const actions = enabled(world, { faults: false });
      world = step(world, actions.find((a) => a.kind !== 'tick') ?? actions[0]!);
    }
    expect(world.nowMs).toBe(16_000);
    expect(listsNow().map((a) => label(world, a))).toEqual(['list replicasets -> controller-manager rv="0"', 'list pods -> controller-manager rv="0"']);
  });
});
