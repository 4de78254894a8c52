// FNV-1a, 32 bits: the one string hash of the model (the persistent map's key hash, and the
// pod-template hash's digest, as upstream's hash/fnv New32a).

export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
