import { describe, expect, it } from 'vitest';
import { parseDestination } from '../../../src/ui/copy/context';

describe('a copy destination typed as bucket/key', () => {
  it('splits at the first slash, keeping the rest of the key as it is', () => {
    expect(parseDestination('site-1250000000/a/b c.txt')).toEqual({ bucket: 'site-1250000000', key: 'a/b c.txt' });
    expect(parseDestination('  /logs/2024/x.log ')).toEqual({ bucket: 'logs', key: '2024/x.log' });
  });

  it('refuses a bucket alone, a folder and an empty text', () => {
    for (const text of ['', 'bucket', 'bucket/', 'bucket/folder/', '/']) expect(parseDestination(text)).toBeUndefined();
  });
});
