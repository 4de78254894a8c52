// The seed manifests (scenarios/manifests/) as the TypeScript scenarios read them: every
// document of a file, as written. Scenario files load manifests strictly instead
// (load/manifest-file.ts); a TypeScript scenario may fix a manifest up, as secret-volume-pod does.
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../model/resources.ts';
import { parseYaml } from './load/yaml-source.ts';

export const MANIFEST_DIR = new URL('./manifests/', import.meta.url);

/** Every non-empty document of a seed manifest; a file that cannot be read or parsed throws InputError. */
export function readManifests(file: string): KubeObject[] {
  return parseYaml(fileURLToPath(new URL(file, MANIFEST_DIR))).documents.flatMap((d) => (d.value === null ? [] : [d.value as KubeObject]));
}
