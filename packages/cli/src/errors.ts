/** Exit codes: each one tells a script what happened without parsing the message. */
export const ExitCode = {
  /** Done; every check passed. */
  ok: 0,
  /** A check failed (preflight, status), or the command hit an unexpected error. */
  notOk: 1,
  /** Bad command line or input file: unknown flag, invalid value, unreadable or malformed outputs JSON. */
  usage: 2,
  /** AWS said no or could not be reached: credentials, region, permissions, network. */
  aws: 3,
  /** Refused for safety: a file exists (no --force), deletion not confirmed, a bucket not of this deployment. */
  refused: 4,
  /** Interrupted (Ctrl-C); purge stops after the batch in flight and a rerun continues. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error whose message is meant for the user, with the exit code it maps to. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

export class AwsError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.aws);
  }
}

export class RefusedError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.refused);
  }
}

/** A check that failed; the command has already printed what and how to fix it. */
export class CheckFailedError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.notOk);
  }
}

export class InterruptedError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.interrupted);
  }
}
