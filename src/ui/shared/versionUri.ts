/**
 * A version of an object as a document: its URI is the object's (`cos://<profile>/<bucket>/<key>`) with
 * the query `versionId=<id>`, so the editor's title is the object's name and the file system reads that
 * version. Editor-free.
 */

export function versionQuery(versionId: string): string {
  return `versionId=${encodeURIComponent(versionId)}`;
}

/** The version a document URI's query names, if any. */
export function versionIdOfQuery(query: string): string | undefined {
  return new URLSearchParams(query).get('versionId') ?? undefined;
}
