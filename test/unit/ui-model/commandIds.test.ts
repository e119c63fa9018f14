import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_IDS } from '../../../src/ui/commandIds';

/**
 * Command ids are typed (src/ui/commandIds.ts): a registration or a run under an id not in the list does
 * not compile. This keeps the list equal to package.json's contributions, and every listed id registered
 * once (the end-to-end activation test checks the same in a running editor).
 */
const ROOT = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Ids registered in src/ui: `command('id', …)`, `registerCommand(context, log, 'id', …)`, or a typed constant. */
function registeredIds(): string[] {
  const found: string[] = [];
  const call = /\b(?:command|registerCommand)\(\s*(?:context,\s*[^,]+,\s*)?'(bucketIntegrity\.[A-Za-z0-9]+)'/g;
  const constant = /:\s*CommandId\s*=\s*'(bucketIntegrity\.[A-Za-z0-9]+)'/g;
  for (const file of sources(join(ROOT, 'src', 'ui'))) {
    const text = readFileSync(file, 'utf8');
    for (const re of [call, constant]) for (const m of text.matchAll(re)) found.push(m[1]);
  }
  return found;
}

describe('command ids', () => {
  it('are exactly the commands package.json contributes', () => {
    expect([...COMMAND_IDS].sort()).toEqual(pkg.contributes.commands.map((c) => c.command).sort());
  });

  it('are each registered once, and nothing else is registered', () => {
    const registered = registeredIds();
    expect([...registered].sort()).toEqual([...COMMAND_IDS].sort());
  });
});
