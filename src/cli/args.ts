import { parseArgs } from 'node:util';
import { UsageError } from './io';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface ParsedArgs {
  flags: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Strict flag parsing (unknown flags and missing values are usage errors, not silently ignored).
 * `--help` is always accepted.
 */
export function parseCommandArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...spec, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { flags: values as ParsedArgs['flags'], positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** A positive integer flag; `undefined` when absent, a usage error when not a positive integer. */
export function positiveIntFlag(args: ParsedArgs, name: string): number | undefined {
  return intFlag(args, name, 1);
}

/** A whole-number flag that may be 0 (a count of retries); `undefined` when absent. */
export function nonNegativeIntFlag(args: ParsedArgs, name: string): number | undefined {
  return intFlag(args, name, 0);
}

function intFlag(args: ParsedArgs, name: string, min: 0 | 1): number | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} must be a ${min === 0 ? 'whole number (0 or more)' : 'positive integer'}, got "${text}"`);
  }
  return value;
}
