// A scenario file's `featureGates:` map, as a component's --feature-gates flag takes it: gate name
// to true or false, every component of the cluster started with them. A name the release does
// not know, a gate locked to its default, or one whose other value the model does not follow is
// refused, each at its line, with a "did you mean" for a close misspelling; so is a gate turned
// on without a gate it depends on.
import { DEFAULT_FEATURE_GATES, FEATURE_GATE_NAMES, featureGateDependencyErrors, featureGateSetError, type FeatureGates } from '../../model/feature-gates.ts';
import { closestName } from './closest-name.ts';
import type { Field } from './field.ts';

/** The gates the file sets, over the release's defaults; absent: the defaults. */
export function featureGatesOf(f: Field): FeatureGates {
  const set = f.entries().flatMap(([name, value]) => {
    const on = value.boolean();
    if (on === undefined) return value.present ? [] : (value.problem('must be true or false'), []);
    const error = featureGateSetError(name, on);
    if (error === null) return [[name, on] as const];
    const meant = (FEATURE_GATE_NAMES as readonly string[]).includes(name) ? undefined : closestName(name, FEATURE_GATE_NAMES);
    value.problem(meant === undefined ? error : `${error} (did you mean ${meant}?)`);
    return [];
  });
  const gates: FeatureGates = { ...DEFAULT_FEATURE_GATES, ...Object.fromEntries(set) };
  for (const { gate, error } of featureGateDependencyErrors(gates)) (f.child(gate).present ? f.child(gate) : f).problem(error);
  return gates;
}
