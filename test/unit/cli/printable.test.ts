import { describe, expect, it } from 'vitest';
import { printable } from '../../../src/util/format';

describe('printable', () => {
  it('leaves ordinary names alone, including non-ASCII', () => {
    expect(printable('photos/2024/été — 東京.jpg')).toBe('photos/2024/été — 東京.jpg');
  });

  it('escapes line breaks, tabs, C0 and C1 controls and DEL so a name stays on one line', () => {
    expect(printable('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(printable('\x1b[31mred\x00\x7f\u0085\u009b')).toBe('\\x1b[31mred\\x00\\x7f\\x85\\x9b');
    expect(printable('back\\slash')).toBe('back\\\\slash');
  });

  it('escapes the Unicode line and paragraph separators too', () => {
    expect(printable('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
  });
});
