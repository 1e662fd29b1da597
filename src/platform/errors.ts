/** Stable error codes; the HTTP status and Zendesk `error` name of each live in this one table. */
export const errorTable = {
  BadRequest: { status: 400, error: 'BadRequest' },
  InvalidPaginationParameter: { status: 400, error: 'InvalidPaginationParameter' },
  Unauthenticated: { status: 401, error: "Couldn't authenticate you" },
  Forbidden: { status: 403, error: 'Forbidden' },
  NotFound: { status: 404, error: 'RecordNotFound' },
  Conflict: { status: 409, error: 'UpdateConflict' },
  PayloadTooLarge: { status: 413, error: 'PayloadTooLarge' },
  UnsupportedMediaType: { status: 415, error: 'UnsupportedMediaType' },
  RecordInvalid: { status: 422, error: 'RecordInvalid' },
  TooManyRequests: { status: 429, error: 'TooManyRequests' },
  ServiceUnavailable: { status: 503, error: 'ServiceUnavailable' },
  InsufficientStorage: { status: 507, error: 'InsufficientStorage' },
} as const;

export type ErrorCode = keyof typeof errorTable;

/** One field-level problem, in Zendesk's `details` shape. */
export interface FieldProblem {
  description: string;
  error: string | null;
  [extra: string]: unknown;
}

export type ErrorDetails = Record<string, FieldProblem[]>;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly description: string,
    readonly details?: ErrorDetails,
    readonly headers?: Record<string, string>,
  ) {
    super(description);
  }

  get status(): number {
    return errorTable[this.code].status;
  }
}

export const notFound = () => new AppError('NotFound', 'Not found');
export const forbidden = () =>
  new AppError('Forbidden', 'You do not have access to this page. Please contact the account owner of this help desk for further help.');

/** A 422 for one field: `invalid('email', 'Email: is not valid', 'InvalidFormat')`. */
export function invalid(field: string, description: string, error: string | null = 'InvalidValue', extra: Record<string, unknown> = {}) {
  return new AppError('RecordInvalid', 'Record validation errors', { [field]: [{ description, error, ...extra }] });
}

/** Collects field problems and throws them together, so a client sees every mistake at once. */
export class Problems {
  private readonly details: ErrorDetails = {};
  add(field: string, description: string, error: string | null = 'InvalidValue', extra: Record<string, unknown> = {}): this {
    (this.details[field] ??= []).push({ description, error, ...extra });
    return this;
  }
  get empty(): boolean {
    return Object.keys(this.details).length === 0;
  }
  throwIfAny(): void {
    if (!this.empty) throw new AppError('RecordInvalid', 'Record validation errors', this.details);
  }
}
