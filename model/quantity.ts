// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): "500m", "2",
// "128Mi", "1G", "1e3". CPU is kept in millicores and everything else in whole units,
// rounded up as the scheduler's MilliValue/Value do.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const FORMAT = /^([+-]?[0-9.]+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?[0-9]+))?$/;

/** The quantity's value in base units, or null when it is not a valid quantity. */
export function parseQuantity(text: string | number): number | null {
  if (typeof text === 'number') return text;
  const m = FORMAT.exec(text.trim());
  if (!m || m[1] === '.' || Number.isNaN(Number(m[1]))) return null;
  const n = Number(m[1]);
  if (m[3] !== undefined) return n * 10 ** Number(m[3]);
  const suffix = m[2] ?? '';
  return n * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

/** Millicores for cpu, whole units (bytes, pods) for everything else; an invalid quantity counts as 0. */
export function quantityIn(resource: string, text: string | number | undefined): number {
  if (text === undefined) return 0;
  const value = parseQuantity(text) ?? 0;
  return resource === 'cpu' ? Math.ceil(value * 1000 - 1e-9) : Math.ceil(value - 1e-9);
}
