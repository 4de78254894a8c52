// Every seed manifest as a user would hand it to kubeprop: loaded strictly, as
// `kubectl create --validate=strict` sends it, or rejected with the API server's words and the line.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dryRunScript } from '../scenarios/load/dry-run.ts';
import { formatProblems, InputError } from '../scenarios/load/input-error.ts';
import { loadManifestFile, type ManifestObject } from '../scenarios/load/manifest-file.ts';
import type { UserOp } from '../scenarios/user.ts';
import { DEFAULT_FEATURE_GATES } from '../model/feature-gates.ts';

const dir = fileURLToPath(new URL('../scenarios/manifests/', import.meta.url));
/** Problems name files relative to the working directory (the repository, in tests). */
const shown = (text: string) => text.replaceAll('scenarios/manifests/', '').split('\n');

/** The API server's problems with creating `objects` in order, as `kubectl create -f` does. */
function dryRun(objects: readonly ManifestObject[]) {
  const script = objects.map((o): UserOp => ({ op: 'create', resource: o.resource, namespace: o.object.metadata.namespace ?? 'default', object: o.object }));
  return dryRunScript(script, new Map(objects.map((o) => [o.object, o])), 100, DEFAULT_FEATURE_GATES);
}

/** "Kind name" for each object a file loads, or its problems as printed. */
function outcome(file: string): string[] {
  try {
    const { objects, unmodelled } = loadManifestFile(`${dir}${file}`);
    const problems = dryRun(objects);
    if (problems.length > 0) return shown(formatProblems(problems));
    return [...objects.map((o) => `${o.object.kind} ${o.object.metadata.name}`), ...unmodelled.map((u) => `not modelled: ${u.what}`)];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return shown(e.message);
  }
}

describe('the seed manifests', () => {
  it('are the ones this table covers', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()).toEqual([
      'downwardapi-pod.yaml', 'liveness-pod.yaml', 'nginx-deployment.yaml', 'pod-with-graceful-termination.yaml', 'restart-rules.yaml', 'secret.yaml',
      'volume-secret-pod.yaml', 'web.yaml',
      'wordpress-mysql.yaml', 'wordpress-nginx-configmap.yaml', 'wordpress-nginx.yaml', 'wordpress-php.yaml', 'wordpress-wp-config-configmap.yaml',
    ]);
  });

  it.each([
    ['downwardapi-pod.yaml', ['Pod downwardapi-volume']],
    ['liveness-pod.yaml', ['Pod test-liveness']],
    ['nginx-deployment.yaml', ['Deployment nginx-deployment']],
    ['pod-with-graceful-termination.yaml', ['Deployment nginx-deployment', 'Service nginx-service']],
    // Its `pass` value decodes as bytes, though not as a password's text: the API server takes it.
    ['secret.yaml', ['Secret volume-secret']],
    ['web.yaml', ['Deployment web', 'Service web']],
    // The Secret its mysql container reads is missing: that is the kubelet's business, not the API server's.
    ['wordpress-mysql.yaml', ['Service wordpress-mysql', 'Deployment wordpress-mysql']],
    ['wordpress-nginx-configmap.yaml', ['ConfigMap nginx-config']],
    ['wordpress-nginx.yaml', ['Service nginx-svc', 'Deployment nginx']],
    ['wordpress-php.yaml', ['Service php-svc', 'Deployment php']],
  ])('%s loads', (file, objects) => {
    expect(outcome(file)).toEqual(objects);
  });

  it('restart-rules.yaml: its retry pod is taken under the defaults (ContainerRestartRules is on), its gang pod needs RestartAllContainersOnContainerExits', () => {
    expect(outcome('restart-rules.yaml')).toEqual([
      'restart-rules.yaml:38: The Pod "gang" is invalid: spec.initContainers[1].restartPolicyRules: Forbidden: may not be set for a restartable init container without RestartAllContainersOnContainerExits',
    ]);
  });

  it('volume-secret-pod.yaml is rejected: its `volumes:` is inside the container, a field a container does not have', () => {
    expect(outcome('volume-secret-pod.yaml')).toEqual([
      'volume-secret-pod.yaml:14: Pod "volume-secret": strict decoding error: unknown field "spec.containers[0].volumes"',
    ]);
  });

  it('wordpress-wp-config-configmap.yaml, a `kubectl get -o yaml` dump, loads without the fields the server set', () => {
    const [configMap] = loadManifestFile(`${dir}wordpress-wp-config-configmap.yaml`).objects;
    expect(Object.keys(configMap!.object.metadata).sort()).toEqual(['name', 'namespace']);
    expect(configMap!.object.status).toBeUndefined();
    expect(dryRun([configMap!])).toEqual([]);
  });
});
