// Names and UIDs from counters, never from randomness: the same run gives the same names.
// generateName suffixes use the alphabet of apimachinery's util/rand.String, five
// characters as upstream, but counted rather than drawn.

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;

export function generatedSuffix(counter: number): string {
  let n = counter;
  let out = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) {
    out = ALPHABET[n % ALPHABET.length] + out;
    n = Math.floor(n / ALPHABET.length);
  }
  return out;
}

/** A UUID-shaped UID whose last group counts objects created. */
export function uidFor(counter: number): string {
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}
