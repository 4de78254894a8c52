// A failure written to disk: its trace file, and its HTML report next to it (`<trace>.html`);
// and a check's summary page.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Defect } from '../checker/defect.ts';
import { failureReport } from './html/failure-report.ts';
import { summaryReport, type SummaryInput } from './html/summary-report.ts';
import { reportData } from './report-data.ts';
import { writeTrace, type Trace } from './trace.ts';

/** Replays the trace to gather what the report shows, writes the report, and returns its path. */
export function writeReport(traceFile: string, trace: Trace, defects: readonly Defect[]): string {
  const file = `${traceFile.replace(/\.json$/, '')}.html`;
  writeFileSync(file, failureReport(reportData(trace, defects, traceFile)));
  return file;
}

export interface WrittenFailure {
  readonly file: string;
  readonly report: string;
}

/** Writes a failure's trace under `dir` and its report beside it; `defect` is the one it was found with. */
export function writeFailure(dir: string, trace: Trace, defect: Defect | undefined): WrittenFailure {
  const file = writeTrace(dir, trace);
  return { file, report: writeReport(file, trace, defect ? [defect] : []) };
}

/** Writes a check's summary page as `summary.html` under `dir` and returns its path. */
export function writeSummary(dir: string, input: Omit<SummaryInput, 'file'>): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'summary.html');
  writeFileSync(file, summaryReport({ ...input, file }));
  return file;
}
