/**
 * The demo data set, shared by `npm start` and the end-to-end tests: which profiles and buckets exist,
 * which remote objects correspond to which workspace files, and the badge each one must end up with.
 */

export type ExpectedStatus = 'match' | 'differ' | 'no-crc' | 'only-local';

export interface DemoObject {
  profile: string;
  bucket: string;
  key: string;
  /** Workspace-relative path of the local file this object is compared with. */
  localPath?: string;
  expected?: ExpectedStatus;
}

export interface DemoProfile {
  name: string;
  provider: 'cos' | 'oss';
  region: string;
  endpoint: string;
  /** Buckets this profile's keys can list. */
  buckets: string[];
}

export interface DemoMapping {
  localFolder: string;
  profile: string;
  bucket: string;
  prefix: string;
}

export interface DemoManifest {
  port: number;
  endpoint: string;
  profiles: DemoProfile[];
  mappings: DemoMapping[];
  /** Objects that correspond to workspace files, with the status the comparison must give. */
  objects: DemoObject[];
  /** A workspace file not uploaded yet: uploading it must give a verified "match". */
  toUpload: DemoObject;
  /** A folder holding more objects than one listing page. */
  bigFolder: { profile: string; bucket: string; prefix: string; count: number };
  /** Environment variables that give the extension the demo credentials (the env-var fallback). */
  env: Record<string, string>;
  /** Workspace settings (`.vscode/settings.json`): the folder mappings. */
  settings: Record<string, unknown>;
  /**
   * User settings: the profiles that point the extension at this emulator. Profiles are read from user
   * settings only (a workspace cannot redirect keys), so the demo and the tests put them there.
   */
  userSettings: Record<string, unknown>;
}

/** The port `npm start` runs the emulator on. */
export const DEMO_PORT = 48080;

export const COS_PROFILE = 'Demo COS';
export const OSS_PROFILE = 'Demo OSS';

/** Objects in the big folder: more than the 1,000 a listing page holds at most. */
export const BIG_FOLDER_COUNT = 1_050;
