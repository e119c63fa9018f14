import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The editor-free part of dropping workspace files on the Buckets view: which local files and folders a
 * `text/uri-list` names, and the key each lands at. The upload itself is the verified one of
 * "Upload Here (Verified)…", given these items instead of asking for files.
 */

/** Where a drop lands: a bucket, or a folder of it (a prefix ending with '/', '' for the root). */
export interface DropPlace {
  profile: string;
  bucket: string;
  prefix: string;
}

/** One dropped file or folder and where it goes; a folder's key is a prefix ending with '/'. */
export interface DroppedUpload {
  localPath: string;
  isFolder: boolean;
  profile: string;
  bucket: string;
  key: string;
}

/**
 * Local paths of a `text/uri-list` (RFC 2483: one URI a line, `#` comments). `file:` URIs, and the
 * `vscode-remote:` URIs a browser workbench gives for files of the machine the extension runs on;
 * anything else (a web link, an untitled editor) is not a local file and is left out.
 */
export function droppedLocalPaths(uriList: string): string[] {
  const paths: string[] = [];
  for (const raw of uriList.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    let url: URL;
    try {
      url = new URL(line);
    } catch {
      continue;
    }
    if (url.protocol === 'file:') paths.push(fileURLToPath(url));
    else if (url.protocol === 'vscode-remote:') paths.push(decodeURIComponent(url.pathname));
  }
  return [...new Set(paths)];
}

/** Each dropped path under the place's prefix by its own name; paths that no longer exist are left out. */
export async function planDroppedUploads(paths: readonly string[], place: DropPlace): Promise<DroppedUpload[]> {
  const items: DroppedUpload[] = [];
  for (const localPath of paths) {
    const stat = await fs.stat(localPath).catch(() => undefined);
    if (!stat || !(stat.isFile() || stat.isDirectory())) continue;
    const isFolder = stat.isDirectory();
    items.push({
      localPath,
      isFolder,
      profile: place.profile,
      bucket: place.bucket,
      key: place.prefix + basename(localPath) + (isFolder ? '/' : ''),
    });
  }
  return items;
}
