import { describe, expect, it } from 'vitest';
import { dedupeTargets, displayPath, formatReport } from '../../../src/ui/compute/report';

describe('Compute CRC-64 report', () => {
  it('lists path, size and CRC-64 in aligned columns, then the failures', () => {
    const text = formatReport(
      {
        files: [
          { path: '/ws/a.txt', size: 9, crc64: '11051210869376104954' },
          { path: '/ws/data/big.bin', size: 1048576, crc64: '0' },
        ],
        errors: [{ path: '/ws/locked', message: 'EACCES: permission denied' }],
      },
      { base: '/ws', title: 'CRC-64 report' },
    );
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('CRC-64 report');
    expect(lines[2]).toBe('2 files, 1.0 MiB; 1 could not be read');
    expect(lines[4]).toBe('CRC-64                   SIZE  PATH');
    expect(lines[5]).toBe('11051210869376104954        9  a.txt');
    expect(lines[6]).toBe('0                     1048576  data/big.bin');
    expect(lines.slice(-2)).toEqual(['Not hashed:', '  locked: EACCES: permission denied']);
  });

  it('counts and lists the entries the folder walk left out', () => {
    const text = formatReport(
      {
        files: [{ path: '/ws/a.txt', size: 9, crc64: '11051210869376104954' }],
        errors: [],
        notes: ['skipped /ws/linked: a link to a folder (links to folders are not followed)'],
      },
      { base: '/ws' },
    );
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('1 file, 9 B; 1 left out');
    expect(lines.slice(-3)).toEqual(['', 'Left out:', '  skipped /ws/linked: a link to a folder (links to folders are not followed)']);
  });

  it('reports an empty selection plainly', () => {
    expect(formatReport({ files: [], errors: [] })).toBe('0 files, 0 B\n\n');
  });

  it('shows paths relative to the workspace, with / separators', () => {
    expect(displayPath('C:\\ws\\a\\b.txt', 'C:\\ws')).toBe('a/b.txt');
    expect(displayPath('/ws', '/ws/')).toBe('.');
    expect(displayPath('/other/x', '/ws')).toBe('/other/x');
    expect(displayPath('/wsx/a', '/ws')).toBe('/wsx/a');
  });

  it('hashes each file once when a folder and files inside it are both selected', () => {
    expect(dedupeTargets(['/ws/a/x', '/ws/a', '/ws/b', '/ws/a', '/ws/ab'])).toEqual(['/ws/a', '/ws/ab', '/ws/b']);
  });
});
