import { describe, expect, expectTypeOf, it } from 'vitest';
import { COMMAND_IDS } from '../../../src/ui/commandIds';
import { EVERY_COMMAND_HAS_ARGS, type CommandArgs } from '../../../src/ui/commandArgs';
import type { runCommand } from '../../../src/ui/commands';

/**
 * Each command's arguments are declared next to its id (src/ui/commandArgs.ts) and `runCommand` is typed
 * through them: the `@ts-expect-error` lines below are compile errors (`npx tsc --noEmit` checks the
 * tests), so a wrong argument to one of the extension's commands does not build.
 */

declare const run: typeof runCommand;

/** Never called: type-checked only. */
function wrongCalls(): void {
  // @ts-expect-error: Refresh takes no argument.
  void run('bucketIntegrity.refresh', { profile: 'p', bucket: 'b' });
  // @ts-expect-error: a copy's destination needs its key.
  void run('bucketIntegrity.copyObject', { profile: 'p', bucket: 'b', key: 'k' }, { destination: { profile: 'p', bucket: 'b' } });
  // @ts-expect-error: exports are CSV or JSON.
  void run('bucketIntegrity.exportResults', { run: 1, format: 'xml' });
  // @ts-expect-error: not one of the extension's commands.
  void run('bucketIntegrity.noSuchCommand');
}

/** Never called: type-checked only. */
function rightCalls(): void {
  void run('bucketIntegrity.refresh');
  void run(
    'bucketIntegrity.copyObject',
    { profile: 'p', bucket: 'b', key: 'k' },
    { destination: { profile: 'p', bucket: 'b', key: 'k2' }, overwrite: true },
  );
  void run('bucketIntegrity.exportResults', { run: 1, file: '/tmp/r.csv', format: 'csv' });
  void run('bucketIntegrity.verifyPrefix', { profile: 'p', bucket: 'b', prefix: 'site/', againstRecord: true, whenNoRecord: 'head' });
}

describe('command arguments', () => {
  it('are declared for every command id', () => {
    expect(EVERY_COMMAND_HAS_ARGS).toBe(true);
    expectTypeOf<keyof CommandArgs>().toEqualTypeOf<(typeof COMMAND_IDS)[number]>();
    expect([wrongCalls, rightCalls]).toHaveLength(2);
  });
});
