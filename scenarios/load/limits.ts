// The bounds on what loading a scenario reads, so that a scenario file someone else wrote
// ends promptly with a clear message whatever it holds. Each is far beyond what a real
// manifest reaches, and far below what would exhaust the machine; README.md ("Writing a
// scenario") states them.

/**
 * Bytes of YAML read for one scenario: its file and every manifest it creates, in all (a file
 * named twice is read twice). More than a release's install bundle (operators' CRD bundles
 * run to a few MiB; one object sent to the API server may not exceed 3 MiB,
 * MaxRequestBodyBytes), and parsed in a few seconds.
 */
export const YAML_BYTES_MAX = 8 << 20;

/**
 * Collections nested in one another. Kubernetes objects nest about ten deep, the deepest CRD
 * schemas about forty; the YAML parser nests a call per level and runs out of stack in the
 * high hundreds.
 */
export const YAML_NESTING_MAX = 128;

/**
 * Values that the aliases (`*name`) of one document stand for, counted as if each were
 * written out (an alias of an alias counts all it expands to): a "billion laughs" document is
 * a few lines that stand for billions. Real manifests reuse a few values a few times.
 */
export const YAML_ALIAS_VALUES_MAX = 100_000;

/**
 * Objects created for one scenario, from its manifests and create operations (each item of a
 * `kind: List` counts), and documents in one YAML file: each object is a request the
 * scripted user makes, one step each; a cluster's worth of workloads is hundreds.
 */
export const OBJECTS_MAX = 5_000;

/** What one scenario's loading has left of its bounds, shared by every file it reads. */
export class LoadBudget {
  bytesLeft = YAML_BYTES_MAX;
  objectsLeft = OBJECTS_MAX;
}
