import { parseArgs } from 'node:util';
import { UsageError } from './io';
import * as l10n from '@vscode/l10n';

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
  checkFlagNames(argv, spec);
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...spec, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { flags: values as ParsedArgs['flags'], positionals };
  } catch (err) {
    throw new UsageError(parserMessage(err as Error));
  }
}

/** Every `--name` is a known flag, or a usage error naming the closest one (before Node's parser words it). */
function checkFlagNames(argv: readonly string[], spec: FlagSpec): void {
  const known = [...Object.keys(spec), 'help'];
  const shorts = new Set(['h', ...Object.values(spec).flatMap((f) => (f.short ? [f.short] : []))]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0];
      if (!known.includes(name))
        throw new UsageError(
          l10n.t(
            'unknown option --{0}{1}',
            name,
            didYouMean(
              name,
              known.map((k) => `--${k}`),
            ),
          ),
        );
      // A string flag's value is the next argument, whatever it looks like.
      if (spec[name]?.type === 'string' && !arg.includes('=')) i++;
    } else if (/^-[^-\d]/.test(arg)) {
      const letter = arg[1];
      if (!shorts.has(letter))
        throw new UsageError(
          l10n.t(
            'unknown option -{0}{1}',
            letter,
            didYouMean(
              arg.slice(1),
              known.map((k) => `--${k}`),
            ),
          ),
        );
    }
  }
}

/** Node's parser text, without its quotes and its advice about positionals ("--region needs a value"). */
function parserMessage(err: Error): string {
  const code = (err as { code?: string }).code;
  const option = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1];
  if (option && code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /argument missing/.test(err.message) ? `${option} needs a value` : `${option} takes no value`;
  }
  return err.message.split('. To specify')[0].replace(/['"]/g, '');
}

/** ` (did you mean --json?)` for the known name closest to `typed`, when it is close enough to be a typo. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const best = closest(typed, known);
  return best ? ` (did you mean ${best}?)` : '';
}

/** The known name with the smallest edit distance to `typed`, within a third of its length (at least 1, at most 3). */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const bare = (s: string): string => s.replace(/^-+/, '').toLowerCase();
  const word = bare(typed);
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = levenshtein(word, bare(name));
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
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
    throw new UsageError(
      min === 0
        ? l10n.t('--{0} must be a whole number (0 or more), got "{1}"', name, text)
        : l10n.t('--{0} must be a positive integer, got "{1}"', name, text),
    );
  }
  return value;
}
