// The `processes` section of a scenario file: what each container's process does, matched
// by image, container name and/or pod, as BehaviourRule says.
import type { ProbeBehaviour, ProcessBehaviour } from '../../model/process.ts';
import type { ProbeType } from '../../model/semantics/probe.ts';
import type { BehaviourRule } from '../scenario.ts';
import type { Field } from './field.ts';

const PROBE_TYPES: readonly ProbeType[] = ['liveness', 'readiness', 'startup'];

function probe(f: Field): ProbeBehaviour | undefined {
  if (f.value === 'flaky') return 'flaky';
  if (!f.map(['passFrom', 'passUntil'])) return f.present ? undefined : f.problem('required');
  const passFromMs = f.child('passFrom').durationMs();
  const passUntilMs = f.child('passUntil').durationMs();
  return { ...(passFromMs !== undefined ? { passFromMs } : {}), ...(passUntilMs !== undefined ? { passUntilMs } : {}) };
}

export function processRule(f: Field): BehaviourRule | undefined {
  if (!f.map(['image', 'container', 'pod', 'exitAfter', 'exitCode', 'ignoresSigterm', 'sigtermExitCode', 'probes'])) return f.problem('required');
  const image = f.child('image').string();
  const container = f.child('container').string();
  const pod = f.child('pod').string();
  if (image === undefined && container === undefined && pod === undefined) return f.problem('needs image, container or pod, to say which containers it is about');
  const probes: Partial<Record<ProbeType, ProbeBehaviour>> = {};
  const probesField = f.child('probes');
  if (probesField.map(PROBE_TYPES)) {
    for (const type of PROBE_TYPES) {
      const p = probesField.child(type);
      if (p.present) {
        const b = probe(p);
        if (b !== undefined) probes[type] = b;
      }
    }
  }
  const exitAfterMs = f.child('exitAfter').durationMs();
  const exitCode = f.child('exitCode').integer();
  const ignoresSigterm = f.child('ignoresSigterm').boolean();
  const sigtermExitCode = f.child('sigtermExitCode').integer();
  const behaviour: ProcessBehaviour = {
    ...(exitAfterMs !== undefined ? { exitAfterMs } : {}), ...(exitCode !== undefined ? { exitCode } : {}),
    ...(ignoresSigterm !== undefined ? { ignoresSigterm } : {}), ...(sigtermExitCode !== undefined ? { sigtermExitCode } : {}),
    ...(Object.keys(probes).length > 0 ? { probes } : {}),
  };
  return {
    ...(image !== undefined ? { image } : {}), ...(container !== undefined ? { container } : {}),
    ...(pod !== undefined ? { pod: pod.includes('/') ? pod : `default/${pod}` } : {}), behaviour,
  };
}
