/**
 * The demo data set, shared by `npm start` and the end-to-end tests: which profiles and buckets exist,
 * which remote objects correspond to which workspace files, and the badge each one must end up with.
 */

export type ExpectedStatus = 'match' | 'mismatch' | 'no-crc';

export interface DemoObject {
  profile: string;
  bucket: string;
  key: string;
  /** Workspace-relative path of the local file this object is compared with. */
  localPath?: string;
  expected?: ExpectedStatus;
}

export interface DemoManifest {
  /** Port the committed demo/workspace/.vscode/settings.json points at. */
  port: number;
  endpoint: string;
  profiles: { name: string; provider: 'cos' | 'oss'; region: string; bucket: string; mappedFolder: string; prefix: string }[];
  /** Objects that correspond to workspace files, with the status the comparison must give. */
  objects: DemoObject[];
  /** A folder holding more objects than one listing page. */
  bigFolder: { profile: string; bucket: string; prefix: string; count: number };
  /** Environment variables that give the extension the demo credentials (the env-var fallback). */
  env: Record<string, string>;
}

/** The port `npm start` runs the emulator on, and that the committed demo settings point at. */
export const DEMO_PORT = 48080;

export const COS_PROFILE = 'Demo COS';
export const OSS_PROFILE = 'Demo OSS';
