/** Types of scripts/build-server.mjs, for the tests' global setup and the bench. */
export function buildServer(options?: { force?: boolean; quiet?: boolean }): Promise<boolean>;
