import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';
import { describe, expect, it } from 'vitest';

/**
 * No string is missed: every message of the source (what `npx @vscode/l10n-dev export` extracts from
 * `l10n.t` / `vscode.l10n.t` calls) and every `%key%` of package.json has a Simplified Chinese entry, no
 * entry is left over, and each translation keeps the placeholders of its English text.
 */

const ROOT = join(__dirname, '..', '..', '..');
const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');
const json = (p: string): Record<string, string | { message: string }> => JSON.parse(read(p)) as Record<string, string | { message: string }>;
const text = (v: string | { message: string }): string => (typeof v === 'string' ? v : v.message);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** `{0}`, `{1}` … of a message, sorted. */
function placeholders(message: string): string[] {
  return [...new Set(message.match(/\{\d+\}/g) ?? [])].sort();
}

describe('Simplified Chinese covers every string', () => {
  const files = sourceFiles('src');

  it('translates every l10n.t message of the source, and nothing else', { timeout: 120_000 }, async () => {
    const extracted = await getL10nJson(files.map((f) => ({ contents: read(f), extension: '.ts' })));
    const zh = json('l10n/bundle.l10n.zh-cn.json');
    const keys = Object.keys(extracted);
    expect(keys.length).toBeGreaterThan(300);
    expect(keys.filter((k) => !(k in zh)), 'messages without a zh-CN entry').toEqual([]);
    expect(Object.keys(zh).filter((k) => !(k in extracted)), 'zh-CN entries no source uses').toEqual([]);
    const wrong = keys.filter((k) => k in zh && placeholders(k).join() !== placeholders(text(zh[k])).join());
    expect(wrong, 'translations whose {n} placeholders differ from the English').toEqual([]);
  });

  it('passes only literal messages to l10n.t, so the extraction sees them all', () => {
    const dynamic = files.flatMap((f) =>
      [...read(f).matchAll(/\bl10n\.t\(\s*([^'"`\s)])/g)].map((m) => `${relative(ROOT, f)}: l10n.t(${m[1]}…`),
    );
    expect(dynamic).toEqual([]);
  });

  it('translates every %key% of package.json, and nothing else', () => {
    const used = [...read('package.json').matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    const en = json('package.nls.json');
    const zh = json('package.nls.zh-cn.json');
    expect(used.length).toBeGreaterThan(80);
    expect(used.filter((k) => !(k in en)), 'keys without English text').toEqual([]);
    expect(used.filter((k) => !(k in zh)), 'keys without a zh-CN entry').toEqual([]);
    expect(Object.keys(zh).filter((k) => !used.includes(k)), 'zh-CN entries package.json does not use').toEqual([]);
    expect(Object.keys(en).filter((k) => !used.includes(k)), 'English entries package.json does not use').toEqual([]);
    // Command links in walkthroughs and welcome views keep their targets.
    const links = (s: string): string[] => (s.match(/\]\([^)]+\)/g) ?? []).sort();
    expect(used.filter((k) => k in zh && links(text(en[k])).join() !== links(text(zh[k])).join())).toEqual([]);
  });

  it('gives every walkthrough page a Chinese version, served by its %key% under zh-CN', () => {
    const en = json('package.nls.json');
    const zh = json('package.nls.zh-cn.json');
    const media = Object.keys(en).filter((k) => k.endsWith('.media'));
    const pages = readdirSync(join(ROOT, 'media', 'walkthrough')).filter((f) => f.endsWith('.md'));
    expect(media.length).toBe(pages.length);
    for (const k of media) {
      expect(existsSync(join(ROOT, text(en[k]))), `${k}: ${text(en[k])}`).toBe(true);
      expect(existsSync(join(ROOT, text(zh[k]))), `${k}: ${text(zh[k])}`).toBe(true);
      expect(text(zh[k])).not.toBe(text(en[k]));
      expect(read(text(zh[k])), `${text(zh[k])} is in Chinese`).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

