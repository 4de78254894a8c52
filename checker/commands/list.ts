// `kubeprop list`: what a user can name on the command line, with what each means.
import { availability, FEATURE_GATE_NAMES, gateSpecAt, KUBERNETES_RELEASE, NOT_FOLLOWED, type FeatureGateName } from '../../model/feature-gates.ts';
import { FAULT_KINDS, REQUEST_FAILURE_CLIENTS } from '../../model/system.ts';
import { PROPERTIES } from '../../properties/index.ts';
import { SCENARIOS } from '../../scenarios/index.ts';
import { KNOWN_BUG_SCENARIOS } from '../../scenarios/known-bugs.ts';
import { loadDefects } from '../defect.ts';
import { parse } from './args.ts';

export const LIST_HELP = `usage: kubeprop list [--defects]

Lists the built-in scenarios, the properties (always, transition, eventually, and the
sometimes-goals a scenario file names) with their descriptions, the fault kinds, and the
feature gates a scenario file may set.
  --defects   list the planted defects of test/defects instead`;

export async function list(args: string[]): Promise<number> {
  const { values } = parse(args, { defects: { type: 'boolean' } });
  if (values.help) return console.log(LIST_HELP), 0;
  if (values.defects) {
    for (const d of await loadDefects()) console.log(`  ${d.name.padEnd(40)} ${d.description}`);
    return 0;
  }
  console.log('scenarios:');
  for (const s of SCENARIOS) console.log(`  ${s.name.padEnd(26)} ${s.description}`);
  console.log('\nknown upstream bugs (checked by name only; npm run check leaves them out):');
  for (const s of KNOWN_BUG_SCENARIOS) console.log(`  ${s.name.padEnd(26)} ${s.description} (${s.knownBug!.property}; ${s.knownBug!.upstream})`);
  console.log('\nproperties:');
  for (const p of PROPERTIES) console.log(`  ${p.kind.padEnd(10)} ${p.name.padEnd(40)} ${p.description}`);
  console.log(`\nfaults (--faults, and faults.kinds in a scenario file):\n  ${FAULT_KINDS.join(', ')}`);
  console.log(`  requestFailure:<component> (faults.requestFailure in a file): ${REQUEST_FAILURE_CLIENTS.join(', ')}`);
  console.log(`\nfeature gates (featureGates in a scenario file), with their Kubernetes ${KUBERNETES_RELEASE} defaults:`);
  for (const name of FEATURE_GATE_NAMES) console.log(`  ${name.padEnd(40)} ${gateLine(name)}`);
  return 0;
}

/** A gate's default and maturity at the release, and why a scenario cannot change it, if it cannot. */
function gateLine(name: FeatureGateName): string {
  const spec = gateSpecAt(name, KUBERNETES_RELEASE);
  if (spec === null) return `-      not in ${KUBERNETES_RELEASE}: ${availability(name, KUBERNETES_RELEASE)}`;
  const head = `${String(spec.default).padEnd(6)} ${spec.preRelease}`;
  if (spec.lockToDefault) return `${head}, locked to its default`;
  const notFollowed = NOT_FOLLOWED[name];
  return notFollowed === undefined ? head : `${head}, fixed: ${notFollowed}`;
}
