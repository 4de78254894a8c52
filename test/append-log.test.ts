// The persistent log under the store's history and the watch streams: an old world
// must keep seeing exactly the log it had, whatever later worlds append.
import { describe, expect, it } from 'vitest';
import { emptyLog, logAppend, logDropFront, logToArray } from '../model/append-log.ts';

describe('append log', () => {
  it('appends in place for the newest window and copies for a branch', () => {
    const base = logAppend(logAppend(emptyLog<number>(), 1), 2);
    const left = logAppend(base, 3);
    const right = logAppend(base, 30);
    expect(logToArray(base)).toEqual([1, 2]);
    expect(logToArray(left)).toEqual([1, 2, 3]);
    expect(logToArray(right)).toEqual([1, 2, 30]);
    expect(right.items).not.toBe(base.items);
  });

  it('drops from the front without disturbing older windows, and repacks once most of the array is dead', () => {
    let log = emptyLog<number>();
    for (let i = 0; i < 3000; i++) log = logAppend(log, i);
    const old = log;
    const dropped = logDropFront(log, 2000);
    expect(logToArray(dropped)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 2000));
    expect(dropped.start).toBe(0);
    expect(logToArray(old)).toHaveLength(3000);
  });
});
