import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FolderMapping } from '../../../src/ui/shared/mappingModel';
import { containingFolder, mappedLocal } from '../../../src/ui/shared/workspaceFolder';

const ws = join('/', 'ws');
const app = join(ws, 'app');
const docs = join(ws, 'docs');
const site: FolderMapping = { localFolder: 'site', profile: 'p', bucket: 'b', prefix: 'web/' };

describe('the workspace folder a mapping is resolved against', () => {
  it('is the folder that contains the file in a multi-root workspace, not the first one', () => {
    const file = join(docs, 'site', 'index.html');
    expect(containingFolder([app, docs], file)).toBe(docs);
    expect(mappedLocal([app, docs], [site], file)).toEqual({
      root: docs,
      relativePath: 'site/index.html',
      mapping: site,
      key: 'web/index.html',
    });
    // The same file is not resolved against `app`: there it is outside the workspace folder.
    expect(mappedLocal([app], [site], file)).toBeUndefined();
  });

  it('is the first folder only when the file is there', () => {
    const file = join(app, 'site', 'a', 'b.txt');
    expect(mappedLocal([app, docs], [site], file)).toMatchObject({ root: app, key: 'web/a/b.txt' });
    expect(mappedLocal([app, docs], [site], join(app, 'site', 'a'), true)).toMatchObject({ key: 'web/a/' });
  });

  it('is the innermost folder when workspace folders nest', () => {
    expect(containingFolder([ws, app], join(app, 'x'))).toBe(app);
    expect(containingFolder([app, ws], join(app, 'x'))).toBe(app);
    expect(containingFolder([ws, app], join(docs, 'x'))).toBe(ws);
  });

  it('is none for a file outside every folder, or next to one with a longer name', () => {
    expect(containingFolder([app, docs], join('/', 'elsewhere', 'x'))).toBeUndefined();
    expect(containingFolder([app], join(ws, 'app-old', 'x'))).toBeUndefined();
    expect(mappedLocal([app, docs], [site], join('/', 'elsewhere', 'site', 'x'))).toBeUndefined();
  });
});
