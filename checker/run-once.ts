// One run of a scenario from a seed, told the way a person reads a cluster: what ran,
// whether every property held, which goals it reached, and the pods at the end as
// `kubectl get pods` (or `-A`) would list them. A violation is written as a trace, to replay.
import { PROPERTIES } from '../properties/index.ts';
import { printedByUsers } from '../properties/observe.ts';
import { humanDuration, podTable } from '../reports/pod-table.ts';
import { replayCommand } from '../reports/replay-command.ts';
import { writeFailure } from '../reports/write-report.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { seededChooser } from './chooser.ts';
import type { Defect } from './defect.ts';
import { runConfig, traceOf } from './explore.ts';
import { run } from './run.ts';

export interface RunOnceOptions {
  readonly seed: number;
  /** Print every step's label. */
  readonly log: boolean;
  /** Directory for the trace of a violation; null writes none. */
  readonly outDir: string | null;
  readonly defect?: Defect;
}

export interface RunOnceOutcome {
  readonly violated: boolean;
  readonly lines: readonly string[];
}

export function runOnce(scenario: Scenario, options: RunOnceOptions): RunOnceOutcome {
  const config = runConfig(scenario, options.defect, PROPERTIES, true);
  const result = run(config, seededChooser(options.seed, scenario.stepsMax));
  const lines: string[] = [];
  if (options.log) result.labels.forEach((l, i) => lines.push(`${String(i + 1).padStart(5)}  ${l}`), lines.push(''));
  const converged = result.steps - result.explorationSteps;
  lines.push(`${scenario.name}, seed ${options.seed}: ${result.explorationSteps} exploration steps, then ${converged} with faults healed; ${humanDuration(result.world.nowMs)} of logical time`);
  const v = result.violation;
  if (v) {
    lines.push(`VIOLATED ${v.property} at step ${v.step}: ${v.message}`);
    if (options.outDir !== null) {
      const { file, report } = writeFailure(options.outDir, traceOf(scenario, config, result, options.defect, null, null, result.explorationSteps), options.defect);
      lines.push(`trace: ${file}`, `report: ${report}`, `replay: ${replayCommand(file)}`);
    }
  } else {
    lines.push('every property held');
  }
  const goals = scenario.goals.filter((g) => result.reached.has(g));
  const missed = scenario.goals.filter((g) => !result.reached.has(g));
  lines.push(`goals reached: ${goals.join(', ') || 'none'}${missed.length > 0 ? `; not in this run: ${missed.join(', ')}` : ''}`);
  const printed = printedByUsers(result.world);
  if (printed.length > 0) lines.push('', 'kubectl printed:', ...printed.map((l) => `  ${l}`));
  const pods = [...(result.world.store.context.objects.pods?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, pod]) => pod);
  if (pods.length > 0) lines.push('', podTable(pods, result.world.nowMs));
  return { violated: v !== null, lines };
}
