/** A request the engine refuses: the code crosses the API as data. */
export class QueryError extends Error {
  constructor(
    readonly code: 'BAD_REQUEST' | 'UNKNOWN_TABLE' | 'UNKNOWN_COLUMN' | 'NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}
