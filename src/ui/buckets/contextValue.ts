/**
 * Context values of tree items, built from tokens so menus can match them with regex `when` clauses:
 * `bucketIntegrity:object+crc+mapped` is matched by `viewItem =~ /^bucketIntegrity:object\b/` (any object)
 * and `viewItem =~ /^bucketIntegrity:object\b.*\+nocrc\b/` (objects without a CRC-64). New tokens can be
 * added without breaking existing menus. Editor-free so the format is unit-tested.
 */

export type TreeNodeKind =
  | 'profile'
  | 'bucket'
  | 'folder'
  | 'object'
  /** An object of a versioned bucket whose newest entry is a delete marker (deletedKeys.ts). */
  | 'deletedObject'
  | 'version'
  | 'loadMore'
  | 'error'
  | 'info';

/**
 * Tokens in use:
 * - `crc` / `nocrc` (object): the service stored a CRC-64, or not (then "Compute Remote CRC-64" applies);
 * - `mapped` (bucket, folder, object): a `bucketIntegrity.mappings` entry covers it;
 * - `filtered` (bucket, folder): a prefix filter is active ("Clear Filter" applies);
 * - `retry` (error): refreshing may help; `keys` (error): the profile's keys are missing or wrong;
 * - `env` / `secret` / `nokeys` (profile): where its keys come from;
 * - `cos` / `oss` (bucket, folder, object): the profile's cloud, for commands only one of them has
 *   (OSS AppendObject);
 * - `archived` (object): its storage class keeps its bytes offline until restored ("Restore…" applies);
 * - `versioned` (object, deletedObject): its bucket keeps versions ("Verify All Versions" applies);
 * - `marker` (version): a delete marker (nothing to open or download); `current` (version): the current one.
 */
export type ContextToken =
  | 'crc'
  | 'nocrc'
  | 'mapped'
  | 'filtered'
  | 'retry'
  | 'keys'
  | 'env'
  | 'secret'
  | 'nokeys'
  | 'cos'
  | 'oss'
  | 'archived'
  | 'versioned'
  | 'marker'
  | 'current';

export const CONTEXT_PREFIX = 'bucketIntegrity:';

export function contextValueOf(kind: TreeNodeKind, tokens: Iterable<ContextToken | false | undefined> = []): string {
  const list = [...new Set([...tokens].filter((t): t is ContextToken => typeof t === 'string'))].sort();
  return CONTEXT_PREFIX + kind + list.map((t) => '+' + t).join('');
}

/** The kind and tokens of a context value built by `contextValueOf`, or undefined for anything else. */
export function parseContextValue(value: string | undefined): { kind: TreeNodeKind; tokens: Set<string> } | undefined {
  if (!value || !value.startsWith(CONTEXT_PREFIX)) return undefined;
  const [kind, ...tokens] = value.slice(CONTEXT_PREFIX.length).split('+');
  return { kind: kind as TreeNodeKind, tokens: new Set(tokens) };
}

/**
 * The regex source of a `when` clause that matches items of these kinds carrying every token given, for
 * package.json (`viewItem =~ /…/`). Kept here so tests prove the menus match the values the tree sets.
 */
export function whenRegex(kinds: readonly TreeNodeKind[], requiredTokens: readonly ContextToken[] = []): string {
  const kindPart = kinds.length === 1 ? kinds[0] : `(${kinds.join('|')})`;
  // Tokens are sorted in the value, so a single left-to-right pattern finds them in order.
  const tokenPart = [...requiredTokens]
    .sort()
    .map((t) => `.*\\+${t}\\b`)
    .join('');
  return `^bucketIntegrity:${kindPart}\\b${tokenPart}`;
}
