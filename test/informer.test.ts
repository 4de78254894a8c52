// The informer machine against client-go's Reflector: which resourceVersion each list
// and watch asks for, and what a closed stream, a stream error and 410 Gone lead to.
import { describe, expect, it } from 'vitest';
import { expired, internalError } from '../model/api-status.ts';
import type { ClientEvent } from '../model/client.ts';
import { informerMachine, type InformerContext } from '../model/informer.ts';
import { initialSnapshot, transition } from '../model/machine-runner.ts';
import type { AnyMachineSnapshot } from 'xstate';
import { configMap } from '../scenarios/fixtures.ts';

function start() {
  let snap = initialSnapshot(informerMachine, { resource: 'configmaps' }) as AnyMachineSnapshot & { context: InformerContext };
  const send = (event: ClientEvent) => { snap = transition(informerMachine, snap, event); };
  const reply = (ok: boolean, extra: object = {}) => send({
    type: 'REPLY', request: snap.context.request!, nowMs: 0,
    reply: ok ? { ok: true, ...extra } : { ok: false, status: (extra as { status: ReturnType<typeof expired> }).status },
  });
  return { get: () => snap, send, reply };
}

const object = (name: string, rv: number) => ({ ...configMap(name, {}), metadata: { name, namespace: 'default', resourceVersion: String(rv) } });

describe('informer', () => {
  it('lists from "0" first, then watches from the list\'s revision', () => {
    const i = start();
    expect(i.get().value).toBe('listing');
    expect(i.get().context.request).toEqual({ verb: 'list', resource: 'configmaps', resourceVersion: '0' });
    i.reply(true, { items: [object('a', 4)], rv: 5 });
    expect(i.get().value).toBe('startingWatch');
    expect(i.get().context.request).toEqual({ verb: 'watch', resource: 'configmaps', resourceVersion: 5 });
    expect([...i.get().context.cache.keys()]).toEqual(['default/a']);
  });

  it('rewatches from the last event seen after a clean close, without relisting', () => {
    const i = start();
    i.reply(true, { items: [], rv: 5 });
    i.reply(true);
    i.send({ type: 'WATCH_EVENT', nowMs: 0, event: { type: 'ADDED', rv: 6, resource: 'configmaps', key: 'default/a', object: object('a', 6), previous: null } });
    i.send({ type: 'WATCH_END', nowMs: 0, end: { kind: 'closed', why: 'dropped' } });
    expect(i.get().value).toBe('startingWatch');
    expect(i.get().context.request).toEqual({ verb: 'watch', resource: 'configmaps', resourceVersion: 6 });
    expect(i.get().context.dropsSinceList).toBe(1);
  });

  it('relists, not older than the last revision seen, after 410 Gone on a rewatch', () => {
    const i = start();
    i.reply(true, { items: [], rv: 5 });
    i.reply(false, { status: expired(5, 9) });
    expect(i.get().value).toBe('listing');
    expect(i.get().context.relistReason).toBe('expired');
    expect(i.get().context.request).toEqual({ verb: 'list', resource: 'configmaps', resourceVersion: '5' });
  });

  it('relists after a stream ends with an internal error', () => {
    const i = start();
    i.reply(true, { items: [], rv: 5 });
    i.reply(true);
    i.send({ type: 'WATCH_END', nowMs: 0, end: { kind: 'error', status: internalError('etcdserver: leader changed') } });
    expect(i.get().value).toBe('listing');
    expect(i.get().context.relistReason).toBe('watchError');
  });

  it('replaces its cache on relist, dropping objects the list no longer has', () => {
    const i = start();
    i.reply(true, { items: [object('a', 2), object('b', 3)], rv: 3 });
    i.reply(false, { status: expired(3, 7) });
    i.reply(true, { items: [object('b', 6)], rv: 7 });
    expect([...i.get().context.cache.entries()].map(([k, v]) => `${k}@${v.metadata.resourceVersion}`)).toEqual(['default/b@6']);
    expect(i.get().context.lastSyncRv).toBe(7);
  });
});
