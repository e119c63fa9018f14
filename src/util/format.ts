/** How sizes, speeds and durations read everywhere: the editor, the CLI and reports use these alone. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** `1023 B`, `1.5 KiB`, `40.0 MiB`, `300 MiB`: exact below 1 KiB, one decimal below 100, none above. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(bytes)} B`;
  // 99.96 would round to "100.0": decide the decimals on the rounded value.
  const text = value.toFixed(1);
  return `${Number(text) >= 100 ? value.toFixed(0) : text} ${UNITS[unit]}`;
}

/** `8.0 MiB/s`. */
export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** `42s`, `3m 05s`, `2h 07m`; `…` while unknown. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '…';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** `1,234,567`: counts of objects and files, grouped the same way on every machine. */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * `text` on one line, safe to print: a key or file name may hold newlines or terminal escapes, and must
 * not forge a line of a report or recolour a terminal. Backslash, `\n`, `\r`, `\t` become `\\`, `\n`,
 * `\r`, `\t`; other C0/C1 controls and DEL `\xNN`; the Unicode line and paragraph separators `\u2028`/`\u2029`.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\\\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
    }
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
