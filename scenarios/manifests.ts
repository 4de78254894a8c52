// Reads the Kubernetes YAML manifests scenarios are built from: many documents per
// file, each a Kubernetes object. A file that is not valid YAML is reported with its
// name, line and reason. (Strict field checking and API defaults come with issue 6.)
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../model/resources.ts';

export class ManifestError extends Error {}

export const MANIFEST_DIR = new URL('./manifests/', import.meta.url);

export function readManifests(file: string | URL): KubeObject[] {
  const path = typeof file === 'string' ? new URL(file, MANIFEST_DIR) : file;
  const name = decodeURIComponent(path.pathname.split('/').slice(-1)[0] ?? '');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ManifestError(`${name}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    const error = doc.errors[0];
    if (error) throw new ManifestError(`${name}:${error.linePos?.[0].line ?? '?'}: ${error.message.split('\n')[0]}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value) || !('kind' in value) || !('metadata' in value)) {
      throw new ManifestError(`${name}: a document is not a Kubernetes object (it needs apiVersion, kind and metadata)`);
    }
    objects.push(value as KubeObject);
  }
  return objects;
}
