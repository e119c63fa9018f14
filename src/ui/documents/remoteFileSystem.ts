import * as vscode from 'vscode';
import { StorageError } from '../../storage/errors';
import type { ObjectStore } from '../../storage/types';
import { ObjectTooLargeError, readObjectVerified, type VerifiedRead } from '../../transfer/read/verifiedRead';
import { IntegrityError } from '../../util/errors';
import type { Logger } from '../logger';
import type { ProfileConfig } from '../shared/profileModel';
import { listingPrefix, parseDocumentUri, profileForAuthority, type DocumentLocation } from './documentUri';
import { atVersion } from '../../storage/versions';
import { versionIdOfQuery } from '../shared/versionUri';

/** What the provider needs from the extension's services. */
export interface DocumentServices {
  readonly profiles: { all(): readonly ProfileConfig[]; get(name: string): ProfileConfig | undefined };
  storeFor(profileName: string): Promise<ObjectStore>;
}

/** How the provider tells the user about reads it could not verify or refused (UI seam). */
export interface DocumentNotices {
  notVerified(uri: vscode.Uri, reason: string): void;
  refused(uri: vscode.Uri, err: IntegrityError | ObjectTooLargeError): void;
  /** The object is archived: offer Restore…, then open it again. */
  archived(uri: vscode.Uri, place: { profile: string; bucket: string; key: string }): void;
}

/** Listings of more entries than this are cut (an editor's folder view is not the place for millions). */
const MAX_DIRECTORY_ENTRIES = 10_000;

/**
 * Read-only `cos://` / `oss://` file system: `stat` from a HEAD, `readDirectory` from a delimiter
 * listing, `readFile` streamed and checked against the object's CRC-64 (refused on a mismatch, flagged
 * when the object has none, refused above `bucketIntegrity.documents.maxOpenSizeMiB` unless allowed
 * once). Every write throws `NoPermissions`.
 */
export class RemoteFileSystem implements vscode.FileSystemProvider {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  /** URIs the user chose to open once despite the size limit. */
  private readonly allowedOnce = new Set<string>();

  constructor(
    private readonly services: DocumentServices,
    private readonly log: Logger,
    private readonly notices: DocumentNotices,
    private readonly maxOpenBytes: () => number | undefined,
  ) {}

  /** Lets the next `readFile` of this URI go past the size limit. */
  allowOnce(uri: vscode.Uri): void {
    this.allowedOnce.add(uri.toString());
  }

  watch(): vscode.Disposable {
    // Buckets send no change events; a document is read again when reopened or reverted.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { location, store } = await this.open(uri);
    const directory: vscode.FileStat = {
      type: vscode.FileType.Directory,
      ctime: 0,
      mtime: 0,
      size: 0,
      permissions: vscode.FilePermission.Readonly,
    };
    if (location.bucket === undefined || location.key === '' || location.key.endsWith('/')) return directory;
    try {
      const info = await store.head(location.bucket, location.key);
      const mtime = info.lastModified?.getTime() ?? 0;
      return { type: vscode.FileType.File, ctime: mtime, mtime, size: info.size, permissions: vscode.FilePermission.Readonly };
    } catch (err) {
      if (!(err instanceof StorageError && err.kind === 'no-such-key')) throw toFileSystemError(err, uri);
    }
    // No object of that name: a folder when anything is stored below it.
    const page = await store
      .list(location.bucket, { prefix: listingPrefix(location.key), delimiter: '/', pageSize: 1 })
      .catch((err: unknown) => {
        throw toFileSystemError(err, uri);
      });
    if (page.objects.length > 0 || page.prefixes.length > 0) return directory;
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { location, store } = await this.open(uri);
    try {
      if (location.bucket === undefined) {
        return (await store.listBuckets()).map((b) => [b.name, vscode.FileType.Directory]);
      }
      return await this.listFolder(store, location.bucket, listingPrefix(location.key), uri);
    } catch (err) {
      throw toFileSystemError(err, uri);
    }
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { location, store } = await this.open(uri);
    if (location.bucket === undefined || location.key === '' || location.key.endsWith('/'))
      throw vscode.FileSystemError.FileIsADirectory(uri);
    const allowed = this.allowedOnce.delete(uri.toString());
    const maxBytes = allowed ? undefined : this.maxOpenBytes();
    const name = location.key.slice(location.key.lastIndexOf('/') + 1);
    let read: VerifiedRead;
    try {
      read = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading {0}', name) }, () =>
        readObjectVerified(store, location.bucket!, location.key, { maxBytes }),
      );
    } catch (err) {
      if (err instanceof IntegrityError || err instanceof ObjectTooLargeError) {
        this.log.warn(`${uri.toString()}: ${err.message}`);
        this.notices.refused(uri, err);
      }
      if (err instanceof StorageError && err.kind === 'archived') {
        const profile = profileForAuthority(this.services.profiles.all(), location.profile);
        this.notices.archived(uri, { profile: profile?.name ?? location.profile, bucket: location.bucket!, key: location.key });
      }
      throw toFileSystemError(err, uri);
    }
    if (read.verified) {
      this.log.info(`Opened ${uri.toString()} (${read.bytes.length} bytes, CRC-64 ${read.crc64} verified).`);
    } else {
      this.log.warn(`Opened ${uri.toString()} (${read.bytes.length} bytes) NOT verified: ${read.notVerifiedReason}.`);
      this.notices.notVerified(uri, read.notVerifiedReason ?? 'no CRC-64 to check against');
    }
    return read.bytes;
  }

  writeFile(uri: vscode.Uri): never {
    throw readOnly(uri);
  }
  createDirectory(uri: vscode.Uri): never {
    throw readOnly(uri);
  }
  delete(uri: vscode.Uri): never {
    throw readOnly(uri);
  }
  rename(oldUri: vscode.Uri): never {
    throw readOnly(oldUri);
  }

  dispose(): void {
    this.changes.dispose();
  }

  private async listFolder(store: ObjectStore, bucket: string, prefix: string, uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const entries: [string, vscode.FileType][] = [];
    let pageToken: string | undefined;
    do {
      const page = await store.list(bucket, { prefix, delimiter: '/', pageToken });
      for (const p of page.prefixes) entries.push([p.slice(prefix.length).replace(/\/$/, ''), vscode.FileType.Directory]);
      // The folder's own marker object (`prefix` itself) is not an entry of the folder.
      for (const o of page.objects) if (o.key !== prefix) entries.push([o.key.slice(prefix.length), vscode.FileType.File]);
      pageToken = page.nextPageToken;
      if (entries.length >= MAX_DIRECTORY_ENTRIES && pageToken) {
        this.log.warn(`${uri.toString()}: only the first ${entries.length} entries are listed.`);
        break;
      }
    } while (pageToken);
    return entries;
  }

  /** The location a URI names and its profile's store; a wrong scheme for the profile is refused. */
  private async open(uri: vscode.Uri): Promise<{ location: DocumentLocation; store: ObjectStore }> {
    const location = parseDocumentUri(uri);
    if (!location) throw vscode.FileSystemError.FileNotFound(uri);
    const profile = profileForAuthority(this.services.profiles.all(), location.profile);
    if (!profile)
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('There is no profile named "{0}" ({1}).', location.profile, uri.toString()));
    if (profile.provider !== location.provider) {
      throw vscode.FileSystemError.Unavailable(
        vscode.l10n.t(
          'Profile "{0}" is a {1} profile: open {2}://{3}/… instead.',
          profile.name,
          profile.provider.toUpperCase(),
          profile.provider,
          profile.name,
        ),
      );
    }
    try {
      const store = await this.services.storeFor(profile.name);
      // `?versionId=…`: one version of the object, read through a view of the store pinned to it.
      const versionId = versionIdOfQuery(uri.query);
      return { location, store: versionId && location.bucket ? atVersion(store, location.bucket, location.key, versionId) : store };
    } catch (err) {
      throw toFileSystemError(err, uri);
    }
  }
}

function readOnly(uri: vscode.Uri): vscode.FileSystemError {
  return vscode.FileSystemError.NoPermissions(
    vscode.l10n.t(
      '{0} is read-only: objects opened from a bucket cannot be changed in the editor. Upload a local file instead.',
      uri.toString(),
    ),
  );
}

/** A core error as the editor's file-system error, keeping the message (with its hint) readable. */
export function toFileSystemError(err: unknown, uri: vscode.Uri): vscode.FileSystemError {
  if (err instanceof vscode.FileSystemError) return err;
  if (err instanceof StorageError) {
    if (err.kind === 'no-such-key' || err.kind === 'no-such-bucket') return vscode.FileSystemError.FileNotFound(uri);
    const text = err.hint ? `${err.message} ${err.hint}` : err.message;
    if (err.kind === 'credentials' || err.kind === 'access-denied') return vscode.FileSystemError.NoPermissions(text);
    return vscode.FileSystemError.Unavailable(text);
  }
  return vscode.FileSystemError.Unavailable(err instanceof Error ? err.message : String(err));
}
