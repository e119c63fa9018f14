import * as vscode from 'vscode';
import type { ProviderKind } from '../../storage/types';
import type { Logger } from '../logger';
import { documentUriParts } from './documentUri';
import type { DocumentServices, RemoteFileSystem } from './remoteFileSystem';
import { numberSettingOf } from '../shared/settings';

/** State shared by the document commands. */
export interface DocumentsFeature {
  readonly services: DocumentServices;
  readonly fileSystem: RemoteFileSystem;
  readonly log: Logger;
}

/** `cos://<profile>/<bucket>/<key>` (or `oss://…`) for an object of a profile. */
export function documentUri(provider: ProviderKind, profile: string, bucket: string, key: string): vscode.Uri {
  return vscode.Uri.from(documentUriParts({ provider, profile, bucket, key }));
}

/** The size limit of `bucketIntegrity.documents.maxOpenSizeMiB` in bytes; undefined when 0 (no limit). */
export function maxOpenBytes(): number | undefined {
  const mib = numberSettingOf('documents.maxOpenSizeMiB');
  return mib === 0 ? undefined : Math.floor(mib * 1024 * 1024);
}
