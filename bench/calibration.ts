// A fixed piece of JavaScript work that has nothing to do with kubeprop, timed beside the
// cases: this machine's speed wanders by a factor of two over an hour, and a case's figure
// means something only next to what the machine could do at that moment.

/** Small objects made, spread and compared in a loop: the kind of work a model step does. */
function work(): number {
  let checksum = 0;
  let record: { a: number; b: number; [key: string]: number } = { a: 0, b: 1, c: 2, d: 3, e: 4, f: 5 };
  for (let i = 0; i < 50_000; i++) {
    record = { ...record, a: record.a + 1, [`k${i % 16}`]: i };
    const list: number[] = [record.a, record.b, i % 7].sort((x, y) => x - y);
    checksum = (checksum + list[1]! + Object.keys(record).length) % 1_000_003;
  }
  return checksum;
}

/** Rounds of `work` per second: the median of nine. */
export function calibrate(): { calibrationRoundsPerSecond: number; checksum: number } {
  let checksum = work();
  const rates: number[] = [];
  for (let i = 0; i < 9; i++) {
    const started = performance.now();
    checksum = work();
    rates.push(1000 / (performance.now() - started));
  }
  rates.sort((x, y) => x - y);
  return { calibrationRoundsPerSecond: Number(rates[4]!.toFixed(1)), checksum };
}
