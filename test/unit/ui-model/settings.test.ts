import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { booleanSetting, numberSetting, settingSpec, type NumberSettingKey } from '../../../src/ui/shared/settingsModel';

/** The settings module takes names, defaults and ranges from package.json, so the two cannot drift. */
const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { type: string; default: unknown; minimum?: number; maximum?: number }> } };
};
const declared = Object.entries(pkg.contributes.configuration.properties).map(([name, spec]) => ({
  key: name.replace(/^bucketIntegrity\./, ''),
  spec,
}));

describe('typed settings', () => {
  it('every number setting: unset or wrongly typed is the declared default, a valid value is kept', () => {
    const numbers = declared.filter((d) => d.spec.type === 'integer' || d.spec.type === 'number');
    expect(numbers.length).toBeGreaterThan(5);
    for (const { key, spec } of numbers) {
      const k = key as NumberSettingKey;
      expect(settingSpec(k)).toEqual(spec);
      for (const raw of [undefined, null, 'x', Number.NaN, Infinity, {}])
        expect(numberSetting(k, raw), `${key} ${String(raw)}`).toBe(spec.default);
      const valid = spec.minimum ?? 0;
      expect(numberSetting(k, valid), key).toBe(valid);
    }
  });

  it('a value outside the declared range, or a fraction for a whole-number setting, counts as unset', () => {
    expect(numberSetting('pageSize', 0)).toBe(100);
    expect(numberSetting('pageSize', 1001)).toBe(100);
    expect(numberSetting('pageSize', 12.5)).toBe(100);
    expect(numberSetting('pageSize', 1000)).toBe(1000);
    expect(numberSetting('documents.maxOpenSizeMiB', -1)).toBe(16);
    expect(numberSetting('documents.maxOpenSizeMiB', 0.5)).toBe(0.5);
    expect(numberSetting('transfer.partRetries', 0)).toBe(0);
  });

  it('booleans: only true or false count', () => {
    expect(booleanSetting('compare.rehashOnSave', false)).toBe(false);
    expect(booleanSetting('compare.rehashOnSave', 'false')).toBe(
      pkg.contributes.configuration.properties['bucketIntegrity.compare.rehashOnSave'].default,
    );
  });

  it('no module of src/ui but the settings module reads the configuration', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of require('node:fs').readdirSync(dir, { withFileTypes: true }) as import('node:fs').Dirent[]) {
        const full = join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (
          full.endsWith('.ts') &&
          !full.endsWith(join('shared', 'settings.ts')) &&
          /getConfiguration\(/.test(readFileSync(full, 'utf8'))
        )
          offenders.push(full);
      }
    };
    walk(join(__dirname, '../../../src'));
    expect(offenders).toEqual([]);
  });
});
