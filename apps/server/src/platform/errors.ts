// Typed errors with a code; http.ts maps them to RFC 9457 problem+json in one place.
export type ErrorCode =
  | 'Invalid'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  /** More than a request may carry (the limit is named in the message). */
  | 'TooLarge'
  | 'RateLimited'
  | 'Internal'
  /** A system Portico calls on the user's behalf (a broker) failed or did not answer. */
  | 'BadGateway';

export interface FieldError {
  path: string;
  message: string;
}

const statusOf: Record<ErrorCode, number> = {
  Invalid: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  TooLarge: 413,
  RateLimited: 429,
  Internal: 500,
  BadGateway: 502,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.status = statusOf[code];
  }
}

export const invalid = (path: string, message: string) => invalidFields([{ path, message }]);
/** A 400 naming every field that is wrong. */
export const invalidFields = (errors: FieldError[]) =>
  new AppError('Invalid', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
export const notFound = (what: string) => new AppError('NotFound', `${what} was not found`);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('Forbidden', message);
export const tooLarge = (message: string) => new AppError('TooLarge', message);
export const conflict = (message: string) => new AppError('Conflict', message);
export const badGateway = (message: string) => new AppError('BadGateway', message);
export const unauthorized = (message = 'Sign in first') => new AppError('Unauthorized', message);
