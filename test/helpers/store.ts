// Drives the store machine directly: one write at a time, at a chosen logical time.
import { DEFAULT_FEATURE_GATES, type FeatureGates } from '../../model/feature-gates.ts';
import { initialSnapshot, transition } from '../../model/machine-runner.ts';
import type { Reply, WriteRequest } from '../../model/requests.ts';
import type { KubeObject } from '../../model/resources.ts';
import { storeMachine, type StoreContext } from '../../model/store.ts';
import type { StoreSnapshot } from '../../model/world.ts';

export class TestStore {
  snapshot: StoreSnapshot;
  nowMs = 0;

  constructor(historyMax = 100, machine = storeMachine, featureGates: FeatureGates = DEFAULT_FEATURE_GATES) {
    this.snapshot = initialSnapshot(machine, { historyMax, featureGates }) as StoreSnapshot;
  }

  get context(): StoreContext {
    return this.snapshot.context;
  }

  write(request: WriteRequest): Reply {
    this.snapshot = transition(this.snapshot.machine, this.snapshot, { type: request.verb, request, nowMs: this.nowMs });
    return this.context.reply as Reply;
  }

  /** A write that must succeed; returns the stored object. */
  ok(request: WriteRequest): KubeObject {
    const reply = this.write(request);
    if (!reply.ok) throw new Error(`expected success, got ${reply.status.reason}: ${reply.status.message}`);
    return reply.object!;
  }

  /** A write that must fail; returns "<code> <reason>: <message>". */
  error(request: WriteRequest): string {
    const reply = this.write(request);
    if (reply.ok) throw new Error(`expected a failure, got ${JSON.stringify(reply.object)}`);
    return `${reply.status.code} ${reply.status.reason}: ${reply.status.message}`;
  }

  compact(): void {
    this.snapshot = transition(this.snapshot.machine, this.snapshot, { type: 'compact' });
  }
}

export function pod(name: string, extra: Partial<Record<'spec' | 'metadata', Record<string, unknown>>> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, ...extra.metadata },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], ...extra.spec },
  };
}

export function deployment(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
      ...spec,
    },
  };
}
