// The DefaultTolerationSeconds admission plugin, as the store's pod defaulting applies it: every case of
// upstream's plugin/pkg/admission/defaulttolerationseconds/admission_test.go TestForgivenessAdmission,
// then the plugin seen through the store on create and on update (it handles both), not on templates.
import type { PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { withDefaults } from '../model/defaults.ts';
import type { KubeObject } from '../model/resources.ts';
import { pod, TestStore } from './helpers/store.ts';

const notReady300: Toleration = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable300: Toleration = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

function admitted(tolerations?: Toleration[]): Toleration[] | undefined {
  const sent = pod('p', tolerations ? { spec: { tolerations } } : {});
  return (withDefaults('pods', sent).spec as PodSpec).tolerations;
}

describe('DefaultTolerationSeconds (upstream TestForgivenessAdmission)', () => {
  const foo: Toleration = { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule', tolerationSeconds: 700 };
  const notReady700: Toleration = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 };
  const unreachable700: Toleration = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 700 };

  it('a pod with no tolerations gets both, not-ready then unreachable', () => {
    expect(admitted()).toEqual([notReady300, unreachable300]);
  });

  it('a pod with other tolerations keeps them and gets both after them', () => {
    expect(admitted([foo])).toEqual([foo, notReady300, unreachable300]);
  });

  it('a pod tolerating not-ready:NoExecute gets unreachable only', () => {
    expect(admitted([notReady700])).toEqual([notReady700, unreachable300]);
  });

  it('a pod tolerating unreachable:NoExecute gets not-ready only', () => {
    expect(admitted([unreachable700])).toEqual([unreachable700, notReady300]);
  });

  it('a pod tolerating both is left as it is', () => {
    expect(admitted([notReady700, unreachable700])).toEqual([notReady700, unreachable700]);
  });

  it('a toleration with no effect counts as NoExecute', () => {
    const anyEffect: Toleration = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 700 };
    expect(admitted([anyEffect])).toEqual([anyEffect, notReady300]);
  });

  it('a wildcard toleration (no key) tolerates both', () => {
    const wildcard: Toleration = { operator: 'Exists', tolerationSeconds: 700 };
    expect(admitted([wildcard])).toEqual([wildcard]);
  });
});

describe('DefaultTolerationSeconds beyond upstream\'s cases', () => {
  it('an empty key counts whatever the operator; a NoSchedule toleration of the key does not', () => {
    const emptyKey: Toleration = { key: '', operator: 'Equal', effect: 'NoExecute' };
    expect(admitted([emptyKey])).toEqual([emptyKey]);
    const noSchedule: Toleration = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' };
    expect(admitted([noSchedule])).toEqual([noSchedule, notReady300, unreachable300]);
  });

  it('runs on pods only, not on a pod template', () => {
    const rs: KubeObject = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    };
    const spec = withDefaults('replicasets', rs).spec as { template: { spec: PodSpec } };
    expect(spec.template.spec.tolerations).toBeUndefined();
  });

  it('the store stores a created pod with them, and puts them back on an update that leaves them out', () => {
    const store = new TestStore();
    const created = store.ok({ verb: 'create', resource: 'pods', namespace: 'default', object: pod('p') });
    expect((created.spec as PodSpec).tolerations).toEqual([notReady300, unreachable300]);
    const { tolerations: _dropped, ...spec } = created.spec as PodSpec;
    const updated = store.ok({ verb: 'update', resource: 'pods', object: { ...created, metadata: { ...created.metadata, labels: { tier: 'web' } }, spec } });
    expect((updated.spec as PodSpec).tolerations).toEqual([notReady300, unreachable300]);
    expect(updated.metadata.labels).toEqual({ tier: 'web' });
  });
});
