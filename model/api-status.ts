// The API server's failure replies, with the codes, reasons and message texts of
// k8s.io/apimachinery/pkg/api/errors (NewConflict, NewAlreadyExists, NewNotFound,
// NewInvalid, NewResourceExpired, NewInternalError, NewBadRequest).
import { RESOURCES, type Resource } from './resources.ts';

export type StatusReason =
  | 'Conflict' | 'AlreadyExists' | 'NotFound' | 'Invalid' | 'Expired' | 'InternalError' | 'BadRequest' | 'ServiceUnavailable' | 'Timeout';

export interface ApiStatus {
  readonly code: number;
  readonly reason: StatusReason;
  readonly message: string;
}

/** One field error, printed as field/errors.go prints it: `spec.replicas: Invalid value: -1: must be ...`. */
export interface FieldError {
  readonly field: string;
  readonly type: 'Required' | 'Invalid' | 'Forbidden' | 'Duplicate' | 'NotSupported' | 'NotFound' | 'TooMany' | 'TooLong';
  readonly value?: unknown;
  /** The value as Go's %#v prints a struct (`core.Taint{Key:"a", ...}`), where a JSON rendering would not be upstream's text. */
  readonly shown?: string;
  readonly detail?: string;
}

function printValue(e: FieldError): string {
  if (e.shown !== undefined) return e.shown;
  return typeof e.value === 'string' ? JSON.stringify(e.value) : typeof e.value === 'object' ? JSON.stringify(e.value) : String(e.value);
}

export function formatFieldError(e: FieldError): string {
  switch (e.type) {
    case 'Required':
    case 'Forbidden':
      return `${e.field}: ${e.type === 'Required' ? 'Required value' : 'Forbidden'}${e.detail ? `: ${e.detail}` : ''}`;
    case 'TooLong':
      // ErrorBody prints no value for TooLong: only what it may not exceed.
      return `${e.field}: Too long: ${e.detail}`;
    case 'Invalid':
      return `${e.field}: Invalid value: ${printValue(e)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'Duplicate':
      return `${e.field}: Duplicate value: ${printValue(e)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'NotFound':
      return `${e.field}: Not found: ${printValue(e)}`;
    case 'NotSupported':
      return `${e.field}: Unsupported value: ${printValue(e)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'TooMany':
      return `${e.field}: Too many: ${printValue(e)}${e.detail ? `: ${e.detail}` : ''}`;
  }
}

export function invalid(resource: Resource, name: string, errors: readonly FieldError[]): ApiStatus {
  // ToAggregate drops an error whose text an earlier one already has.
  const texts = [...new Set(errors.map(formatFieldError))];
  const aggregate = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  return { code: 422, reason: 'Invalid', message: `${RESOURCES[resource].qualifiedKind} ${JSON.stringify(name)} is invalid: ${aggregate}` };
}

export function conflict(qualified: string, name: string, why: string): ApiStatus {
  return { code: 409, reason: 'Conflict', message: `Operation cannot be fulfilled on ${qualified} ${JSON.stringify(name)}: ${why}` };
}

export const MODIFIED_SINCE_READ = 'the object has been modified; please apply your changes to the latest version and try again';

export function alreadyExists(resource: Resource, name: string): ApiStatus {
  return { code: 409, reason: 'AlreadyExists', message: `${RESOURCES[resource].qualified} ${JSON.stringify(name)} already exists` };
}

export function notFound(resource: Resource, name: string): ApiStatus {
  return { code: 404, reason: 'NotFound', message: `${RESOURCES[resource].qualified} ${JSON.stringify(name)} not found` };
}

/** 410 Gone: a watch asked for history the store has compacted away. */
export function expired(requestedRv: number, oldestRv: number): ApiStatus {
  return { code: 410, reason: 'Expired', message: `too old resource version: ${requestedRv} (${oldestRv})` };
}

export function internalError(why: string): ApiStatus {
  return { code: 500, reason: 'InternalError', message: `Internal error occurred: ${why}` };
}

export function badRequest(message: string): ApiStatus {
  return { code: 400, reason: 'BadRequest', message };
}

/**
 * 503 (NewServiceUnavailable): the API server could not take the request (it is restarting, or
 * shedding load); nothing was applied. (A 429 from priority and fairness would be retried by
 * client-go itself, unseen by the component.)
 */
export function serviceUnavailable(): ApiStatus {
  return { code: 503, reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' };
}

/** 504 (NewTimeoutError): the reply never came back in time, though the request may have been applied. */
export function timeout(): ApiStatus {
  return {
    code: 504, reason: 'Timeout',
    message: 'the server was unable to return a response in the time allotted, but may still be processing the request',
  };
}
