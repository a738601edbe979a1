// Errors that end a run with a documented exit code (DESIGN.md: 2 usage/config, 3 environment).
export const EXIT = { OK: 0, CHECK_FAILED: 1, USAGE: 2, ENVIRONMENT: 3, INTERRUPTED: 130 } as const;

/** A run ended by a signal exits 128 + its number, as shells report it. */
export const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

export class UsageError extends Error {
  readonly exitCode = EXIT.USAGE;
}

export class EnvironmentError extends Error {
  readonly exitCode = EXIT.ENVIRONMENT;
}
