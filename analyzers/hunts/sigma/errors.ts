/**
 * A rule that uses something this compiler does not translate. The construct
 * is named ("modifier 'base64offset'", "logsource product windows") so a
 * hunter can see at once why a rule was not imported; nothing is dropped and
 * compiled into a hunt that quietly matches more or less than the rule says.
 */
export class SigmaUnsupportedError extends Error {
  constructor(
    readonly construct: string,
    message: string,
  ) {
    super(message);
    this.name = 'SigmaUnsupportedError';
  }
}

/** A rule that is not valid Sigma: bad YAML, a missing title, a condition naming no search. */
export class SigmaRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigmaRuleError';
  }
}
