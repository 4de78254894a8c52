// Integers as Go's strconv.ParseInt(s, 10, 64) reads them, for the integer label and
// taint values Kubernetes compares: an optional sign, then decimal digits (leading zeros
// allowed), within int64. bigint keeps the whole int64 range exact.

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64); undefined where Go returns a syntax or range error. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const value = BigInt(s);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}
