// `kubeprop report`: writes the HTML report of a trace file, next to it.
import { writeReport } from '../../reports/write-report.ts';
import { loadDefects } from '../defect.ts';
import { parse, UsageError, withTrace } from './args.ts';

export const REPORT_HELP = `usage: kubeprop report <trace.json>

Replays the trace and writes its HTML report next to it (<trace>.html): the violated
property in words, how to replay it, a lane per component with a row per step (fault
windows shaded, the violating step marked), the objects each step changed, and each pod's
phase and each container's state over the steps. The file is self-contained: no network,
no external script. A check writes one for every failure by itself.`;

export async function report(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (values.help) return console.log(REPORT_HELP), 0;
  if (positionals.length !== 1) throw new UsageError('report takes exactly one trace file');
  const file = positionals[0]!;
  return withTrace(file, async (trace) => {
    console.log(`report: ${writeReport(file, trace, trace.defect === null ? [] : await loadDefects())}`);
    return 0;
  });
}
