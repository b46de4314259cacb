// OSB error bodies are `{ error, description }` (spec, "Service Broker Errors"): `error` is one
// camel-case word. The spec fixes four codes (AsyncRequired, ConcurrencyError, RequiresApp,
// MaintenanceInfoConflict); the others here are ours, so a client can branch on them too.
import type { ZodError } from 'zod';

export type ErrorCode =
  | 'AsyncRequired'
  | 'ConcurrencyError'
  | 'MaintenanceInfoConflict'
  | 'BadRequest'
  | 'InvalidParameters'
  | 'ChangeNotSupported'
  | 'InstanceNotReady'
  | 'Unauthorized'
  | 'UnsupportedApiVersion'
  | 'NotFound'
  | 'Conflict'
  | 'InternalError'
  | 'SimulatedFault';

export class BrokerError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    description: string,
  ) {
    super(description);
  }

  body(): { error: ErrorCode; description: string } {
    return { error: this.code, description: this.message };
  }
}

/** 410 Gone is a success for the platform ("forget the resource"), so it carries `{}`, not an error. */
export class GoneError extends Error {}

export const badRequest = (description: string) => new BrokerError(400, 'BadRequest', description);
export const notFound = (description: string) => new BrokerError(404, 'NotFound', description);
export const conflict = (description: string) => new BrokerError(409, 'Conflict', description);
export const concurrency = (description: string) => new BrokerError(422, 'ConcurrencyError', description);
export const asyncRequired = () =>
  new BrokerError(
    422,
    'AsyncRequired',
    'This Service Plan requires client support for asynchronous service operations: add ?accepts_incomplete=true.',
  );

/** Every zod issue as `where: what (got …)`, joined, so a 400 says what is wrong and where. */
export function describeIssues(error: ZodError, root: string, input: unknown): string {
  const where = (path: readonly PropertyKey[]) =>
    [root, ...path].reduce<string>(
      (acc, part) =>
        typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
      '',
    );
  return error.issues
    .flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((k) => `${where([...issue.path, k])}: unknown field, not in the schema`);
      }
      const got = valueAt(input, issue.path);
      return [
        `${where(issue.path)}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`,
      ];
    })
    .join('; ');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}
