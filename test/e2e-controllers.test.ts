// End to end, the scenarios with a controller-manager: workloads, garbage collection, node failure.
import { SCENARIOS } from '../scenarios/index.ts';
import { exploreEndToEnd } from './helpers/e2e.ts';

exploreEndToEnd('built-in scenarios with controllers', SCENARIOS.filter((s) => (s.controllers ?? []).length > 0));
