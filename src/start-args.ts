/**
 * `npm start`'s flags (API.md "Starting": settings come from the environment, flags may mirror
 * them): every setting of src/config.ts has a flag named after it — `KEIYAKU_` dropped, lower case,
 * `_` as `-` (`PORT` → `--port`, `KEIYAKU_DATA` → `--data`, `DATABASE_URL` → `--database-url`).
 * A flag wins over the environment. `--help` lists them with their defaults.
 */
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, SETTING_NAMES, settingDefaults } from './config.js';
import { PROJECT_ROOT } from './paths.js';

/** The catalog a start reads when KEIYAKU_CATALOG is not set: the sample of the project's folder. */
export const DEFAULT_CATALOG = join(PROJECT_ROOT, 'catalog', 'sample.json');

/**
 * What `--help` shows for the settings the schema leaves unset because the start decides their
 * value (README.md "Settings" says the same); the others show the schema's default, or "—".
 */
const DECIDED_AT_START: Record<string, string> = {
  KEIYAKU_CATALOG: relative(PROJECT_ROOT, DEFAULT_CATALOG),
  KEIYAKU_OPERATOR_KEY: 'generated (dev mode)',
  KEIYAKU_PUBLIC_URL: 'the address it listens at',
};

/** The flag that mirrors a setting. */
export function flagOf(setting: string): string {
  return `--${setting.replace(/^KEIYAKU_/, '').toLowerCase().replaceAll('_', '-')}`;
}

export type StartArgs = { help: true } | { help: false; env: Record<string, string> };

type Options = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/**
 * Parses `argv` with the settings' flags besides `own` options (`keiyaku` has its commands' too):
 * the values, the positionals and the settings given as environment entries. An unknown option or
 * a missing value is a ConfigError naming it and where the flags are listed.
 */
export function parseWithSettingFlags<O extends Options>(argv: readonly string[], own: O, opts: { positionals: boolean; help: string }) {
  const options: Options = { ...own };
  const settingOf = new Map<string, string>();
  for (const name of SETTING_NAMES) {
    const flag = flagOf(name).slice(2);
    options[flag] = { type: 'string' };
    settingOf.set(flag, name);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: opts.positionals });
  } catch (err) {
    const message = (err as Error).message.split('. ')[0] ?? String(err);
    throw new ConfigError(`${message}. ${opts.help}`);
  }
  const env: Record<string, string> = {};
  for (const [flag, value] of Object.entries(parsed.values)) {
    const setting = settingOf.get(flag);
    if (setting && typeof value === 'string') env[setting] = value;
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals, env };
}

/** The settings given as flags, as environment entries; a ConfigError says what is wrong with them. */
export function parseStartArgs(argv: readonly string[]): StartArgs {
  const { values, env } = parseWithSettingFlags(argv, { help: { type: 'boolean', short: 'h' } }, { positionals: false, help: '`npm start -- --help` lists the flags (each mirrors a setting of the environment).' });
  return values.help ? { help: true } : { help: false, env };
}

/** What `npm start -- --help` prints. */
export function startUsage(): string {
  const defaults = settingDefaults();
  const rows = SETTING_NAMES.map((name) => {
    const value = defaults[name];
    return [`  ${flagOf(name)} <value>`, name, value === undefined ? (DECIDED_AT_START[name] ?? '—') : String(value)] as const;
  });
  const widths = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  return [
    'Usage: npm start [-- --flag value …]   (or: node build/main.mjs [--flag value …])',
    '',
    'Serves the Keiyaku API, the customer portal (/portal) and the operator console (/console).',
    'Each setting comes from the environment or from its flag (the flag wins); README.md "Settings"',
    'says what each one means. A bad value stops the start and says what to fix.',
    '',
    `  ${'flag'.padEnd(widths[0]! - 2)}  ${'environment'.padEnd(widths[1]!)}  default`,
    ...rows.map(([flag, name, value]) => `${flag.padEnd(widths[0]!)}  ${name.padEnd(widths[1]!)}  ${value}`),
    '  -h, --help',
    '',
  ].join('\n');
}
