import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * package.json as the editor shows it in a language: every `"%key%"` replaced by its text from
 * package.nls.json (English) or package.nls.<locale>.json, as VS Code does when it reads the manifest.
 */
export function readManifest(locale?: string): unknown {
  const nls = JSON.parse(readFileSync(join(ROOT, locale ? `package.nls.${locale}.json` : 'package.nls.json'), 'utf8')) as Record<
    string,
    string
  >;
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'), (_key, value: unknown) => {
    const m = typeof value === 'string' ? /^%([^%]+)%$/.exec(value) : null;
    return m && m[1] in nls ? nls[m[1]] : value;
  });
}
