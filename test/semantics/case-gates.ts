// The feature gates a sample case of test/k8s-semantics runs with: the model's defaults with the
// case's `featureGates` map applied. A gate the model does not know fails the case loudly rather
// than being ignored.
import { DEFAULT_FEATURE_GATES, FEATURE_GATE_NAMES, type FeatureGateName, type FeatureGates } from '../../model/feature-gates.ts';

export function caseGates(encoded: unknown): FeatureGates {
  if (encoded === undefined || encoded === null) return DEFAULT_FEATURE_GATES;
  if (typeof encoded !== 'object' || Array.isArray(encoded)) throw new Error(`featureGates must be a map, got ${JSON.stringify(encoded)}`);
  const overrides = Object.entries(encoded as Record<string, unknown>).map(([name, on]) => {
    if (!(FEATURE_GATE_NAMES as readonly string[]).includes(name)) throw new Error(`a case names feature gate ${name}, which the model does not know`);
    if (typeof on !== 'boolean') throw new Error(`feature gate ${name} must be true or false, got ${JSON.stringify(on)}`);
    return [name as FeatureGateName, on] as const;
  });
  return { ...DEFAULT_FEATURE_GATES, ...Object.fromEntries(overrides) };
}
