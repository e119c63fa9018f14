import manifest from '../../../package.json';

/**
 * The extension's settings as package.json declares them, once: their names (typed), defaults and ranges.
 * A value the user wrote wrongly (a string, out of range) counts as not written: the declared default.
 * No caller carries an inline default. Editor-free; settings.ts reads them.
 */

export const SETTINGS_SECTION = 'bucketIntegrity';

type Properties = typeof manifest.contributes.configuration.properties;
type Declared = { [K in keyof Properties as K extends `${typeof SETTINGS_SECTION}.${infer Name}` ? Name : never]: Properties[K] };

/** Every setting, without the `bucketIntegrity.` section. */
export type SettingKey = keyof Declared;
/** The settings whose value is a number. */
export type NumberSettingKey = { [K in SettingKey]: Declared[K] extends { default: number } ? K : never }[SettingKey];
/** The settings whose value is true or false. */
export type BooleanSettingKey = { [K in SettingKey]: Declared[K] extends { default: boolean } ? K : never }[SettingKey];

interface Spec {
  type: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
}

export function settingSpec(key: SettingKey): Spec {
  return (manifest.contributes.configuration.properties as Record<string, Spec>)[`${SETTINGS_SECTION}.${key}`];
}

/**
 * A number setting as the user wrote it when it is valid (a finite number, whole for `integer` settings,
 * within the declared range); otherwise, like a setting not written at all, its declared default.
 */
export function numberSetting(key: NumberSettingKey, raw: unknown): number {
  const spec = settingSpec(key);
  const valid =
    typeof raw === 'number' &&
    Number.isFinite(raw) &&
    (spec.type !== 'integer' || Number.isInteger(raw)) &&
    (spec.minimum === undefined || raw >= spec.minimum) &&
    (spec.maximum === undefined || raw <= spec.maximum);
  return valid ? raw : (spec.default as number);
}

export function booleanSetting(key: BooleanSettingKey, raw: unknown): boolean {
  return typeof raw === 'boolean' ? raw : (settingSpec(key).default as boolean);
}
