/**
 * The one error type of Shopwise. Domain code throws `AppError` with a kind;
 * the HTTP layer maps kinds to status codes (see http/errors.ts).
 *
 * @example
 * throw AppError.invalid('price must be ≥ 0', { field: 'price', value: -1 });
 */
export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'unavailable' | 'too_large';

export interface ErrorDetail {
  /** JSON path or column of the offending value, e.g. `/properties/price` or `rating`. */
  field?: string;
  /** Index of the offending row in a batch or line number in a file. */
  index?: number;
  [key: string]: unknown;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly detail: ErrorDetail = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  static invalid(message: string, detail?: ErrorDetail): AppError {
    return new AppError('invalid', message, detail);
  }
  static notFound(message: string, detail?: ErrorDetail): AppError {
    return new AppError('not_found', message, detail);
  }
  static conflict(message: string, detail?: ErrorDetail): AppError {
    return new AppError('conflict', message, detail);
  }
  static forbidden(message: string, detail?: ErrorDetail): AppError {
    return new AppError('forbidden', message, detail);
  }
  static unauthorized(message: string, detail?: ErrorDetail): AppError {
    return new AppError('unauthorized', message, detail);
  }
  static unavailable(message: string, cause?: unknown): AppError {
    return new AppError('unavailable', message, {}, { cause });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
