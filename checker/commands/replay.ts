// `kubeprop replay`: re-runs a trace file and says whether its violation happened again.
import { loadDefects } from '../defect.ts';
import { replay as replayTrace } from '../replay.ts';
import { parse, UsageError, withTrace } from './args.ts';

export const REPLAY_HELP = `usage: kubeprop replay <trace.json> [--log]

Re-runs a trace written by a failing check: the same scenario (a scenario file is read
again from the path the trace records), faults, choices and properties. Each step's label
must match the recorded one; a mismatch is reported as nondeterminism.
Exit codes: 1 the violation was reproduced (or nondeterminism was found); 2 the trace or
its scenario cannot be read; 3 every recorded step happened again but the violation did
not (the model, the scenario or the property has changed).
  --log       print every step of the trace first, the one that broke the property marked`;

/** The trace's steps as `kubeprop run --log` prints them, the violating one marked. */
function stepLines(labels: readonly string[], violationStep: number): string[] {
  return labels.map((label, i) => `${i + 1 === violationStep ? '>>' : '  '}${String(i + 1).padStart(5)}  ${label}`);
}

export async function replay(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { log: { type: 'boolean' } });
  if (values.help) return console.log(REPLAY_HELP), 0;
  if (positionals.length !== 1) throw new UsageError('replay takes exactly one trace file');
  const file = positionals[0]!;
  return withTrace(file, async (trace) => {
    if (values.log) console.log([...stepLines(trace.labels, trace.violation.step), ''].join('\n'));
    const outcome = replayTrace(trace, trace.defect === null ? [] : await loadDefects());
    if (outcome.mismatch) {
      const m = outcome.mismatch;
      console.log(`NONDETERMINISM: step ${m.step} of ${file} recorded "${m.recorded}" but the replay took "${m.replayed}"`);
      return 1;
    }
    const v = outcome.violation;
    console.log(`replayed ${outcome.steps} steps of ${trace.scenario}${trace.defect ? ` with planted defect ${trace.defect}` : ''}`);
    if (outcome.reproduced) console.log(`reproduced: ${v!.property} failed at step ${v!.step}: ${v!.message}`);
    else if (v) console.log(`a different failure: ${v.property} at step ${v.step}: ${v.message}`);
    else {
      console.log(`not reproduced: every recorded step happened again, but ${trace.violation.property} did not fail at step ${trace.violation.step};` +
        ' the model or the property has changed since the trace was written');
    }
    return outcome.reproduced ? 1 : 3;
  });
}
