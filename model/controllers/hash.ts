// The pod-template hash that names a Deployment's ReplicaSets (pkg/controller/controller_utils.go
// ComputeHash): a 32-bit FNV-1a over the template and the collision count, written with
// apimachinery's rand.SafeEncodeString. Upstream hashes Go's printed form of the struct, which
// a TypeScript model cannot reproduce; here the hash is over the template's canonical JSON, so
// names differ from a real cluster's but are as stable, and change exactly when the template does.
import { fnv1a32 } from '../fnv.ts';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted, so equal templates give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** rand.SafeEncodeString: each character of the decimal hash mapped into a vowel-free alphabet. */
function safeEncode(text: string): string {
  return [...text].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

export function computeHash(template: unknown, collisionCount: number | undefined): string {
  const salt = collisionCount === undefined ? '' : `#${collisionCount}`;
  return safeEncode(String(fnv1a32(canonical(template) + salt)));
}
