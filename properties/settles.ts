// The system must settle: once faults are healed, fair scheduling must reach a state
// where nothing more is enabled within the scenario's bound. A run that keeps changing
// state is a liveness failure in its own right (a livelock, a retry loop, a flap).
import type { EventuallyProperty } from './property.ts';

export const systemSettles: EventuallyProperty = {
  kind: 'eventually',
  name: 'systemSettles',
  description: 'After faults are healed, the system settles within the converge bound: nothing left to do but wait past the settle window.',
  check(_world, settlement) {
    if (settlement.quiet) return null;
    return `the system was still changing after ${settlement.stepsTaken} steps of fair scheduling with faults healed; ` +
      `still enabled: ${settlement.stillEnabled.join('; ')}`;
  },
};
