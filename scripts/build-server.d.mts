/** Types of scripts/build-server.mjs, for the tests' global setup and the bench. */
export function buildServer(options?: { force?: boolean; quiet?: boolean }): Promise<boolean>;
export const SERVER_ARGS: readonly string[];
export const CLI_ARGS: readonly string[];
