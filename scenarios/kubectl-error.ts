// What kubectl prints when the API server refuses a request (kubectl's cmd/util helpers.go
// checkErr and StandardErrorMessage): an Invalid error as `The Deployment "web" is invalid:
// ...`, any other with its reason, `Error from server (NotFound): nodes "node-2" not found`.
import type { ApiStatus } from '../model/api-status.ts';

export function printedError(status: Pick<ApiStatus, 'reason' | 'message'>): string {
  if (status.reason === 'Invalid') return `The ${status.message.replace(/^([A-Za-z]+)\.[a-z0-9.]+ /, '$1 ')}`;
  return `Error from server (${status.reason}): ${status.message}`;
}
