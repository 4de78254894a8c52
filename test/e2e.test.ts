// End to end, the scenarios without controllers: the store and informers, pods on nodes, scheduling.
import { SCENARIOS } from '../scenarios/index.ts';
import { exploreEndToEnd } from './helpers/e2e.ts';

exploreEndToEnd('built-in scenarios without controllers', SCENARIOS.filter((s) => (s.controllers ?? []).length === 0));
