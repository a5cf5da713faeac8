/** Where in an input a problem sits. Lines and columns count from 1. */
export interface Place {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** Formats a place as `file:line:col`, leaving out what is unknown. */
export function formatPlace(place: Place): string {
  let text = place.file;
  if (place.line !== undefined) text += `:${place.line}`;
  if (place.line !== undefined && place.column !== undefined) text += `:${place.column}`;
  return text;
}

/**
 * Input that cannot be read: a user's file, argument or record. Callers catch it and
 * print `file:line:col: message`; the process exits with 2.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly place: Place | undefined;

  constructor(message: string, place?: Place, options?: ErrorOptions) {
    super(message, options);
    this.place = place;
  }

  /** The message with its place in front, as the CLI prints it. */
  describe(): string {
    return this.place ? `${formatPlace(this.place)}: ${this.message}` : this.message;
  }
}

/** A broken invariant inside Bulkhead: a bug, never a user's mistake. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}

/** Throws an InternalError when the condition does not hold. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InternalError(message);
}

/** Ends an exhaustive switch; the compiler proves it unreachable. */
export function assertNever(value: never): never {
  throw new InternalError(`Unexpected value ${JSON.stringify(value)}`);
}
