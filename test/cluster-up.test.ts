// A user scripts against a cluster that is up: the scripted user of a scenario file first
// waits for every node it lists (not one that joins later) to be registered, as a CI script's
// `kubectl wait --for=create node/NAME` does, and `at:` counts from then. Before, the user
// started at once, and exploration could run its clock to 30 s before node-2's kubelet had
// registered: `kubectl label node node-2` then failed with NotFound (seed 1 of
// label-node-2.yaml did, as did 26 of seeds 1-200).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { seededChooser } from '../checker/chooser.ts';
import { runConfig } from '../checker/explore.ts';
import { run } from '../checker/run.ts';
import { PROPERTIES } from '../properties/index.ts';
import { committedEvent, printedByUsers } from '../properties/observe.ts';
import type { TransitionProperty } from '../properties/property.ts';
import { loadScenarioFile } from '../scenarios/load/scenario-file.ts';
import type { UserContext } from '../scenarios/user.ts';

const { scenario } = loadScenarioFile(fileURLToPath(new URL('./scenario-files/label-node-2.yaml', import.meta.url)));

/** One run of label-node-2 from `seed`: what the user printed, when its script started, and when node-2 got its label. */
function labelNode2(seed: number) {
  let labelledAtMs: number | null = null;
  const recorder: TransitionProperty = {
    kind: 'transition', name: 'recordLabel', description: 'records when node-2 is labelled',
    check(before, _action, after) {
      const event = committedEvent(before, after);
      if (labelledAtMs === null && event?.resource === 'nodes' && event.key === 'node-2' && event.object.metadata.labels?.disk === 'ssd') labelledAtMs = after.nowMs;
      return null;
    },
  };
  const result = run(runConfig(scenario, undefined, [...PROPERTIES, recorder], false), seededChooser(seed, scenario.stepsMax));
  const user = result.world.clients[result.world.system.clients.findIndex((c) => c.kind === 'user')]!.context as UserContext;
  const pod = result.world.store.context.objects.pods?.get('default/needs-ssd');
  return {
    violation: result.violation, printed: printedByUsers(result.world), startedAtMs: user.startedAtMs, labelledAtMs,
    nodeName: (pod?.spec as { nodeName?: string } | undefined)?.nodeName, reached: [...result.reached],
  };
}

describe('the user starts its script once the listed nodes are registered', () => {
  it('seed 1, which labelled node-2 before it was registered, waits for both nodes and labels node-2 30 s after its script started', () => {
    expect(labelNode2(1)).toEqual({
      violation: null,
      printed: ['node/node-1 condition met', 'node/node-2 condition met'],
      // The second poll found node-2 registered, at 2 s; the label went out 30 s later, as the script
      // says (its read and write take no longer: pending work keeps the clock within a second).
      startedAtMs: 2_000, labelledAtMs: 32_000,
      nodeName: 'node-2', reached: ['podScheduledAfterWaiting', 'podBecomesReady'],
    });
  });

  it('in 100 seeds, node-2 is labelled, 30 s or more after the script started, and the pod runs there', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const r = labelNode2(seed);
      expect(r.violation).toBeNull();
      expect(r.printed).toEqual(['node/node-1 condition met', 'node/node-2 condition met']);
      expect(r.labelledAtMs).toBeGreaterThanOrEqual(r.startedAtMs + 30_000);
      expect(r.nodeName).toBe('node-2');
    }
  });
});
