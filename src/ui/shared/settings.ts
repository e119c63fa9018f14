import * as vscode from 'vscode';
import {
  booleanSetting,
  numberSetting,
  SETTINGS_SECTION,
  type BooleanSettingKey,
  type NumberSettingKey,
  type SettingKey,
} from './settingsModel';

/**
 * Typed reads of the `bucketIntegrity.*` settings: names checked against package.json at compile time,
 * defaults and ranges taken from it (settingsModel.ts). Lists (profiles, mappings) are read raw and parsed
 * by their own models.
 */

export type { BooleanSettingKey, NumberSettingKey, SettingKey } from './settingsModel';

function configuration(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION);
}

export function numberSettingOf(key: NumberSettingKey): number {
  return numberSetting(key, configuration().get<unknown>(key));
}

export function booleanSettingOf(key: BooleanSettingKey): boolean {
  return booleanSetting(key, configuration().get<unknown>(key));
}

/** A setting's value as written, for the lists their own models parse. */
export function rawSetting(key: SettingKey): unknown {
  return configuration().get<unknown>(key);
}

/** Where a setting is set (default, user, workspace), for settings whose source matters. */
export function inspectSetting(key: SettingKey): ReturnType<vscode.WorkspaceConfiguration['inspect']> {
  return configuration().inspect<unknown>(key);
}

/**
 * Writes a setting: into `target` when given, else where it is defined (the workspace when it sets it,
 * the user settings otherwise).
 */
export async function writeSetting(key: SettingKey, value: unknown, target?: vscode.ConfigurationTarget): Promise<void> {
  const config = configuration();
  const where =
    target ??
    (config.inspect(key)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
  await config.update(key, value, where);
}
