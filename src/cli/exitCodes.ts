import { isFatalForRun, StorageError, TruncatedBodyError } from '../storage/errors';
import { IntegrityError, isCancelled } from '../util/errors';
import { UsageError } from './io';
import * as l10n from '@vscode/l10n';

/**
 * The exit status of every command, in one table (docs/cli-exit-codes.md):
 *
 * | 0   | everything asked for was done and verified (or skipped as asked)                                   |
 * | 1   | a data problem was found: a CRC-64 that differs, an object missing or not verified, a body the      |
 * |     | service never sent whole, a move that kept its source                                               |
 * | 2   | could not check: usage, credentials, access denied, a missing bucket, damaged input, an             |
 * |     | unreachable service, an existing destination refused, an unexpected error                           |
 * | 130 | cancelled (Ctrl+C)                                                                                  |
 *
 * When a run has both, 2 wins over 1: its verdict is incomplete (the data problems are still listed).
 */
export const EXIT_OK = 0;
export const EXIT_PROBLEM = 1;
export const EXIT_COULD_NOT_CHECK = 2;
/** The same code, where the cause is how the command was called. */
export const EXIT_USAGE = EXIT_COULD_NOT_CHECK;
export const EXIT_CANCELLED = 130;

/** An error that is itself a finding about the data, not a reason nothing could be checked. */
export function isDataProblem(err: unknown): boolean {
  return err instanceof IntegrityError || err instanceof TruncatedBodyError;
}

/** The exit status of a run that ended with `err` (the dispatcher's, for any command). */
export function exitCodeOfError(err: unknown): number {
  if (isCancelled(err)) return EXIT_CANCELLED;
  if (err instanceof UsageError || isFatalForRun(err)) return EXIT_COULD_NOT_CHECK;
  return isDataProblem(err) ? EXIT_PROBLEM : EXIT_COULD_NOT_CHECK;
}

/** The exit status of a run from what it found: anything it could not check, any data problem. */
export function exitCodeOfRun(found: { couldNotCheck: boolean; dataProblem: boolean }): number {
  if (found.couldNotCheck) return EXIT_COULD_NOT_CHECK;
  return found.dataProblem ? EXIT_PROBLEM : EXIT_OK;
}

/**
 * The errors of the objects of a run (a transfer, a copy): one that would fail every other request too
 * is rethrown, so the run ends with 2 and its message (`isFatalForRun`); so is a service that answered no
 * object at all (every one a network failure that is not a short body).
 */
export function throwIfRunCouldNotCheck(errors: readonly unknown[], objects: number): void {
  const fatal = errors.find(isFatalForRun);
  if (fatal) throw fatal;
  const unreachable = (e: unknown): boolean => e instanceof StorageError && e.kind === 'network' && !(e instanceof TruncatedBodyError);
  if (objects > 0 && errors.length === objects && errors.every(unreachable)) throw errors[0];
}

/** The "Exit status" paragraph of a command's usage: the same table, with what 1 (and 2) mean for it. */
export function exitStatusUsage(dataProblem: string, couldNotCheck = ''): string {
  const text = couldNotCheck
    ? l10n.t(
        'Exit status (the same table for every command): 0 everything verified; 1 a data problem: {0}; 2 could not check: usage, keys, access denied, a missing bucket, damaged input, an unreachable service, {1}; 130 cancelled.',
        dataProblem,
        couldNotCheck,
      )
    : l10n.t(
        'Exit status (the same table for every command): 0 everything verified; 1 a data problem: {0}; 2 could not check: usage, keys, access denied, a missing bucket, damaged input, an unreachable service; 130 cancelled.',
        dataProblem,
      );
  return wrap(text, 104);
}

/** Terminal columns of a text: CJK characters take two. */
function columns(text: string): number {
  return text.length + (text.match(/[\u3000-\u9fff\uff00-\uffef]/g)?.length ?? 0);
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && columns(line) + 1 + columns(word) > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}
