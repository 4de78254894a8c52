// The feature gates a sample case of test/k8s-semantics runs with: the defaults of Kubernetes
// 1.34, the release the sample files were written for (a derived case such as the
// ReduceDefaultCrashLoopBackOffDecay schedule names the gate it is about and takes
// KubeletCrashLoopBackOffMax off, as it was before 1.35), with the case's `featureGates` map
// applied. A gate the model does not know fails the case loudly rather than being ignored.
import { defaultFeatureGates, FEATURE_GATE_NAMES, type FeatureGateName, type FeatureGates } from '../../model/feature-gates.ts';

/** The release whose defaults a case's gates apply over. */
const SAMPLES_RELEASE_GATES = defaultFeatureGates('1.34');

export function caseGates(encoded: unknown): FeatureGates {
  if (encoded === undefined || encoded === null) return SAMPLES_RELEASE_GATES;
  if (typeof encoded !== 'object' || Array.isArray(encoded)) throw new Error(`featureGates must be a map, got ${JSON.stringify(encoded)}`);
  const overrides = Object.entries(encoded as Record<string, unknown>).map(([name, on]) => {
    if (!(FEATURE_GATE_NAMES as readonly string[]).includes(name)) throw new Error(`a case names feature gate ${name}, which the model does not know`);
    if (typeof on !== 'boolean') throw new Error(`feature gate ${name} must be true or false, got ${JSON.stringify(on)}`);
    return [name as FeatureGateName, on] as const;
  });
  return { ...SAMPLES_RELEASE_GATES, ...Object.fromEntries(overrides) };
}
