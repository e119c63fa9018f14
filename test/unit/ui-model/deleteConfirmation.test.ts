import { describe, expect, it } from 'vitest';
import { deleteConfirmation } from '../../../src/ui/buckets/deletePlan';

describe('the Delete confirmation', () => {
  it('names the count, where, and the keys when there are few', () => {
    const c = deleteConfirmation([{ profile: 'prod', bucket: 'site-1250000000', keys: ['a.txt', 'b/c.txt'], folders: [] }]);
    expect(c.message).toBe('Delete 2 objects from prod:site-1250000000? This cannot be undone.');
    expect(c.detail).toBe('a.txt\nb/c.txt');
  });

  it('counts every key below a folder, names the folder with its count, and cuts a long list', () => {
    const inFolder = Array.from({ length: 40 }, (_, i) => `logs/${i}.txt`);
    const c = deleteConfirmation([
      { profile: 'prod', bucket: 'b', keys: [...inFolder, 'x1', 'x2', 'x3', 'x4', 'x5'], folders: [{ prefix: 'logs/', count: 40 }] },
    ]);
    expect(c.message).toBe('Delete 45 objects from prod:b? This cannot be undone.');
    expect(c.detail.split('\n')).toEqual(['folder logs/ (40 objects)', 'x1', 'x2', 'x3', 'x4', '… and 1 more']);
  });

  it('says how many buckets when the selection spans several, and one object in the singular', () => {
    expect(deleteConfirmation([{ profile: 'p', bucket: 'b', keys: ['k'], folders: [] }]).message).toBe(
      'Delete 1 object from p:b? This cannot be undone.',
    );
    const two = deleteConfirmation([
      { profile: 'p', bucket: 'b1', keys: ['k'], folders: [] },
      { profile: 'p', bucket: 'b2', keys: ['e/'], folders: [{ prefix: 'e/', count: 1 }] },
    ]);
    expect(two.message).toBe('Delete 2 objects from 2 buckets? This cannot be undone.');
    expect(two.detail).toBe('k\nfolder e/ (1 object)');
  });
});
