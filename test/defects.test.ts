// Every property fails on a planted defect: the checker finds it, shrinks the run to a
// short trace (pinned here exactly), writes the trace file, and the file replays to the
// same violation at the same step.
import { describe, expect, it } from 'vitest';
import { explore } from '../checker/explore.ts';
import { findProperty } from '../properties/index.ts';
import { storeAndInformers } from '../scenarios/store-and-informers.ts';
import { watchBasics } from '../scenarios/watch-basics.ts';
import { informerAcceptsOlderList, informerIgnoresGone, informerNeverRelists } from './defects/informer.ts';
import { storeIgnoresResourceVersion, storeRecordsHistoryOutOfOrder } from './defects/store.ts';
import { catchDefect } from './helpers/caught.ts';

describe('planted defects are caught, shrunk and replayed', () => {
  it('informerCachesMatchStore catches an informer that does not relist after 410 Gone', () => {
    const { trace, explored, replayed } = catchDefect(watchBasics, informerIgnoresGone, 'informerCachesMatchStore');
    expect(explored).toEqual([
      'list configmaps -> reader-1 rv="0"',
      'user alice: create configmaps default/a',
      'compact store at rv 2',
    ]);
    expect(trace.originalSteps).toBe(38);
    expect(trace.violation.message).toBe(
      'informer configmaps -> reader-1 differs from the store at rv 5: 3 missing (default/a, default/b, default/held) (the system had not settled after 500 converge steps)');
    expect(replayed).toMatchObject({ reproduced: true, mismatch: null });
  });

  it('systemSettles catches the same informer looping on 410 Gone', () => {
    const { trace, replayed } = catchDefect(watchBasics, informerIgnoresGone, 'systemSettles');
    expect(trace.choices).toHaveLength(3);
    expect(trace.violation.message).toBe(
      // The looping watch is work the clock must wait for: no tick is offered beside it.
      'the system was still changing after 500 steps of fair scheduling with faults healed; still enabled: watch configmaps -> reader-1 from rv 1');
    expect(replayed.reproduced).toBe(true);
  });

  it('informerResourceVersionNeverGoesBack catches an informer whose relist accepts an older list', () => {
    const { trace, explored, replayed } = catchDefect(watchBasics, informerAcceptsOlderList, 'informerResourceVersionNeverGoesBack');
    expect(explored).toEqual([
      'user alice: create configmaps default/a',
      'list configmaps -> reader-1 rv="0"',
      'watch configmaps -> reader-1 from rv 2',
      'fail watch configmaps -> reader-1 with 500 InternalError',
      'deliver watch configmaps -> reader-1: error 500 InternalError',
      'list configmaps -> reader-1 from a lagging apiserver at rv 1',
    ]);
    expect(trace.violation).toEqual({
      property: 'informerResourceVersionNeverGoesBack', kind: 'transition', step: 6,
      message: 'informer configmaps -> reader-1 went back in time: it had seen rv 2, and now its cache reflects rv 1. A relist must ask for state not older than the last revision seen (client-go relistResourceVersion).',
    });
    expect(replayed).toMatchObject({ reproduced: true, steps: 6 });
  });

  it('watchEventsArriveInOrder catches a store whose history is out of order', () => {
    const { trace, explored, replayed } = catchDefect(watchBasics, storeRecordsHistoryOutOfOrder, 'watchEventsArriveInOrder');
    expect(explored).toEqual([
      'list configmaps -> reader-2 rv="0"', 'user alice: create configmaps default/a', 'user alice: create configmaps default/b',
    ]);
    expect(trace.violation.message).toBe(
      'watch configmaps -> reader-2 delivered ADDED default/a at rv 2 after rv 3: a watch must deliver events in resourceVersion order, each newer than the last.');
    expect(replayed.reproduced).toBe(true);
  });
});

describe('sometimes-goals go unreached when the model cannot get there', () => {
  const goals = ['watchDropLeadsToRelist', 'goneForcesRelist'].map((g) => findProperty(g)!);

  it('an informer that never relists reaches neither relist goal', () => {
    const result = explore(watchBasics, { runs: 200, seed: 1, defect: informerNeverRelists, properties: goals, outDir: null });
    expect(result.failure).toBeNull();
    expect(result.missingGoals).toEqual(['watchDropLeadsToRelist', 'goneForcesRelist']);
  });

  it('the real informer reaches both in the same runs', () => {
    const result = explore(watchBasics, { runs: 200, seed: 1, properties: goals, outDir: null });
    expect(result.missingGoals).toEqual([]);
  });

  it('a store without optimistic concurrency never makes a user retry a conflicting write', () => {
    const conflict = [findProperty('writeConflictIsRetried')!];
    expect(explore(storeAndInformers, { runs: 100, seed: 1, defect: storeIgnoresResourceVersion, properties: conflict, outDir: null }).missingGoals)
      .toEqual(['writeConflictIsRetried']);
    expect(explore(storeAndInformers, { runs: 100, seed: 1, properties: conflict, outDir: null }).missingGoals).toEqual([]);
  });
});
