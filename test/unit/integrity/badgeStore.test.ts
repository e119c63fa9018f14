import { describe, expect, it } from 'vitest';
import { BadgeStore, normalizeBadgeKey, parentBadgeKey, type BadgeEntry } from '../../../src/integrity/badgeStore';

const match: BadgeEntry = { status: 'match', localCrc64: '1', remoteCrc64: '1' };
const mismatch: BadgeEntry = { status: 'differ', localCrc64: '1', remoteCrc64: '2' };
const noCrc: BadgeEntry = { status: 'no-crc', localCrc64: '1' };

function recorder(store: BadgeStore): string[][] {
  const events: string[][] = [];
  store.onDidChange((keys) => events.push([...keys].sort()));
  return events;
}

describe('badge keys', () => {
  it('walks up to the root of file and remote URIs but never into the scheme', () => {
    expect(parentBadgeKey('file:///w/a/b.txt')).toBe('file:///w/a');
    expect(parentBadgeKey('file:///w')).toBeUndefined();
    expect(parentBadgeKey('bucket-integrity:/p/b/k')).toBe('bucket-integrity:/p/b');
    expect(parentBadgeKey('bucket-integrity:/p')).toBeUndefined();
    expect(parentBadgeKey('a')).toBeUndefined();
  });

  it('treats a trailing slash as the same folder', () => {
    expect(normalizeBadgeKey('bucket-integrity:/p/b/dir/')).toBe('bucket-integrity:/p/b/dir');
    expect(normalizeBadgeKey('file:///')).toBe('file:///');
  });
});

describe('BadgeStore', () => {
  it('never replaces a local-vs-remote result with a remote-only one (Verify against the record, a hover)', () => {
    const store = new BadgeStore();
    const key = 'bucket-integrity:/p/b/site/about.html';
    store.set(key, mismatch);
    store.set(key, { status: 'match', remoteCrc64: '2', remoteCrcSource: 'record', remoteOnly: true });
    expect(store.get(key)).toEqual(mismatch);
    // A newer local-vs-remote result does replace it, and a remote-only one fills a key that had none.
    store.set(key, match);
    expect(store.get(key)?.status).toBe('match');
    store.set('bucket-integrity:/p/b/site/banner.txt', { status: 'no-crc', remoteOnly: true });
    expect(store.status('bucket-integrity:/p/b/site/banner.txt')).toBe('no-crc');
    store.set('bucket-integrity:/p/b/site/banner.txt', {
      status: 'no-crc',
      remoteCrc64: '9',
      remoteCrcSource: 'download',
      remoteOnly: true,
    });
    expect(store.get('bucket-integrity:/p/b/site/banner.txt')?.remoteCrc64).toBe('9');
  });

  it('returns an object its own status and a folder the worst status below it', () => {
    const store = new BadgeStore();
    store.set('file:///w/d/a.txt', match);
    store.set('file:///w/d/sub/b.txt', noCrc);
    expect(store.status('file:///w/d/a.txt')).toBe('match');
    expect(store.status('file:///w/d/sub')).toBe('no-crc');
    expect(store.status('file:///w/d')).toBe('no-crc');
    store.set('file:///w/d/sub/c.txt', mismatch);
    expect(store.status('file:///w/d')).toBe('differ');
    expect(store.status('file:///w/d/')).toBe('differ');
    expect(store.countsBelow('file:///w/d')).toMatchObject({ match: 1, differ: 1, 'no-crc': 1 });
    expect(store.status('file:///w/other')).toBeUndefined();
  });

  it('reports a folder as match only when everything below matches', () => {
    const store = new BadgeStore();
    store.setMany([
      ['bucket-integrity:/p/b/x/1', match],
      ['bucket-integrity:/p/b/x/2', match],
    ]);
    expect(store.status('bucket-integrity:/p/b/x')).toBe('match');
    expect(store.status('bucket-integrity:/p')).toBe('match');
    store.set('bucket-integrity:/p/b/x/3', { status: 'only-local' });
    expect(store.status('bucket-integrity:/p/b')).toBe('only-local');
  });

  it('fires only for keys whose entry or roll-up changed', () => {
    const store = new BadgeStore();
    const events = recorder(store);
    store.set('file:///w/d/a.txt', match);
    expect(events.pop()).toEqual(['file:///w', 'file:///w/d', 'file:///w/d/a.txt']);

    // A sibling that also matches changes no roll-up: only the file itself is reported.
    store.set('file:///w/d/b.txt', match);
    expect(events.pop()).toEqual(['file:///w/d/b.txt']);

    // Setting the same result again is not a change.
    store.set('file:///w/d/b.txt', { ...match });
    expect(events).toHaveLength(0);

    // A mismatch turns both folders.
    store.set('file:///w/d/b.txt', mismatch);
    expect(events.pop()).toEqual(['file:///w', 'file:///w/d', 'file:///w/d/b.txt']);

    // Same status, new CRC: the entry changed but no folder did.
    store.set('file:///w/d/b.txt', { ...mismatch, localCrc64: '3' });
    expect(events.pop()).toEqual(['file:///w/d/b.txt']);

    // Back to match: folders return to match.
    store.set('file:///w/d/b.txt', match);
    expect(events.pop()).toEqual(['file:///w', 'file:///w/d', 'file:///w/d/b.txt']);
  });

  it('batches many results into one event', () => {
    const store = new BadgeStore();
    const events = recorder(store);
    store.setMany([
      ['file:///w/a', match],
      ['file:///w/b', noCrc],
      ['file:///w/c', mismatch],
    ]);
    expect(events).toEqual([['file:///w', 'file:///w/a', 'file:///w/b', 'file:///w/c']]);
  });

  it('forgets a subtree and clears roll-ups that depended on it', () => {
    const store = new BadgeStore();
    store.setMany([
      ['bucket-integrity:/p/b/x/1', mismatch],
      ['bucket-integrity:/p/b/y/2', match],
    ]);
    const events = recorder(store);
    store.deleteUnder('bucket-integrity:/p/b/x/');
    expect(events.pop()).toEqual(['bucket-integrity:/p', 'bucket-integrity:/p/b', 'bucket-integrity:/p/b/x', 'bucket-integrity:/p/b/x/1']);
    expect(store.status('bucket-integrity:/p/b/x')).toBeUndefined();
    expect(store.status('bucket-integrity:/p/b')).toBe('match');
    store.clear();
    expect(store.size).toBe(0);
    expect(store.status('bucket-integrity:/p')).toBeUndefined();
  });

  it('stops notifying a disposed listener', () => {
    const store = new BadgeStore();
    const seen: string[] = [];
    const sub = store.onDidChange((keys) => seen.push(...keys));
    sub.dispose();
    store.set('file:///w/a', match);
    expect(seen).toEqual([]);
  });
});
