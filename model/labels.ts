// Label selectors as apimachinery evaluates them (pkg/apis/meta/v1 LabelSelectorAsSelector):
// matchLabels AND every matchExpression; an empty selector matches everything.
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

export type Labels = Readonly<Record<string, string>>;

export function selectorMatches(selector: LabelSelector, labels: Labels | undefined): boolean {
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (have[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(have, req.key);
    const value = have[req.key];
    switch (req.operator) {
      case 'In': if (!present || !(req.values ?? []).includes(value as string)) return false; break;
      case 'NotIn': if (present && (req.values ?? []).includes(value as string)) return false; break;
      case 'Exists': if (!present) return false; break;
      case 'DoesNotExist': if (present) return false; break;
      default: return false;
    }
  }
  return true;
}

export function selectorIsEmpty(selector: LabelSelector | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}
