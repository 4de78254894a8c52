// The `processes` section of a scenario file: what each container's process does, matched
// by image, container name and/or pod, as BehaviourRule says.
import type { HookBehaviour, HookName, ProbeBehaviour, ProcessBehaviour } from '../../model/process.ts';
import type { ProbeType } from '../../model/semantics/probe.ts';
import type { BehaviourRule } from '../scenario.ts';
import type { Field } from './field.ts';

const PROBE_TYPES: readonly ProbeType[] = ['liveness', 'readiness', 'startup'];
const HOOKS: readonly HookName[] = ['postStart', 'preStop'];

function probe(f: Field): ProbeBehaviour | undefined {
  if (f.value === 'flaky') return 'flaky';
  if (!f.map(['passFrom', 'passUntil'])) return f.present ? undefined : f.problem('required');
  const passFromMs = f.child('passFrom').durationMs();
  const passUntilMs = f.child('passUntil').durationMs();
  return { ...(passFromMs !== undefined ? { passFromMs } : {}), ...(passUntilMs !== undefined ? { passUntilMs } : {}) };
}

function hook(f: Field): HookBehaviour | undefined {
  if (!f.map(['takes', 'fails'])) return f.present ? undefined : f.problem('required');
  const takesMs = f.child('takes').durationMs();
  const fails = f.child('fails').boolean();
  return { ...(takesMs !== undefined ? { takesMs } : {}), ...(fails !== undefined ? { fails } : {}) };
}

/** Each listed entry of a map of behaviours, read by `read`. */
function byKey<K extends string, T>(f: Field, keys: readonly K[], read: (f: Field) => T | undefined): Partial<Record<K, T>> {
  const out: Partial<Record<K, T>> = {};
  if (!f.map(keys)) return out;
  for (const key of keys) {
    const child = f.child(key);
    if (!child.present) continue;
    const value = read(child);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

export function processRule(f: Field): BehaviourRule | undefined {
  if (!f.map(['image', 'container', 'pod', 'exitAfter', 'exitCode', 'ignoresSigterm', 'sigtermExitCode', 'probes', 'hooks'])) return f.problem('required');
  const image = f.child('image').string();
  const container = f.child('container').string();
  const pod = f.child('pod').string();
  if (image === undefined && container === undefined && pod === undefined) return f.problem('needs image, container or pod, to say which containers it is about');
  const probes = byKey(f.child('probes'), PROBE_TYPES, probe);
  const hooks = byKey(f.child('hooks'), HOOKS, hook);
  const exitAfterMs = f.child('exitAfter').durationMs();
  const exitCode = f.child('exitCode').integer();
  const ignoresSigterm = f.child('ignoresSigterm').boolean();
  const sigtermExitCode = f.child('sigtermExitCode').integer();
  const behaviour: ProcessBehaviour = {
    ...(exitAfterMs !== undefined ? { exitAfterMs } : {}), ...(exitCode !== undefined ? { exitCode } : {}),
    ...(ignoresSigterm !== undefined ? { ignoresSigterm } : {}), ...(sigtermExitCode !== undefined ? { sigtermExitCode } : {}),
    ...(Object.keys(probes).length > 0 ? { probes } : {}), ...(Object.keys(hooks).length > 0 ? { hooks } : {}),
  };
  return {
    ...(image !== undefined ? { image } : {}), ...(container !== undefined ? { container } : {}),
    ...(pod !== undefined ? { pod: pod.includes('/') ? pod : `default/${pod}` } : {}), behaviour,
  };
}
