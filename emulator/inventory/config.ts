import { EmulatorError } from '../errors';
import type { DialectName } from '../types';
import { child, esc, parseXml, type Element } from '../xml';

/**
 * Inventory configurations as the services document them: COS PUT/GET/DELETE/List Bucket inventory and the
 * one-time POST Bucket inventory (`?inventory&id=ID`, `<COSBucketDestination>`, destination bucket
 * `qcs::cos:<region>::<bucket-appid>`), and OSS PutBucketInventory and friends (`?inventory&inventoryId=ID`,
 * `<OSSBucketDestination>`, destination `acs:oss:::<bucket>`). The XML as received is kept and sent back by
 * GET and List, so the SDKs read what they wrote; the fields a report run needs are read from it here.
 */

export interface InventoryConfig {
  id: string;
  enabled: boolean;
  /** Destination bucket name (COS: with its `-appid`). */
  destBucket: string;
  /** Destination prefix, without a trailing slash ('' for none). */
  destPrefix: string;
  format: string;
  /** Only objects whose keys start with this are listed. */
  filterPrefix: string;
  /** Daily, Weekly or Monthly; absent for a COS one-time inventory. */
  frequency?: string;
  /** OSS Monthly: the day of the month the run starts (1-31); absent for every 30 days. */
  dayOfMonth?: number;
  /** OSS: the account id and the RAM role ARN the destination was configured with. */
  accountId?: string;
  roleArn?: string;
  includedObjectVersions: string;
  /** Optional fields as configured (`Size`, `LastModifiedDate`, `ETag`, `StorageClass`, `Crc64`, ...). */
  optionalFields: string[];
}

/** Optional fields each service documents, in the column order the reports use. */
export const OPTIONAL_FIELDS: Record<DialectName, readonly string[]> = {
  cos: ['Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'IsMultipartUploaded', 'ReplicationStatus', 'Tag', 'Crc64', 'x-cos-meta-*'],
  // TransitionTime: Go SDK v2 enums and Java SDK v2 test; LastAccessDate: the console's report columns
  // (vendor-examples/oss-inventory.md §2, §4).
  oss: [
    'Size',
    'LastModifiedDate',
    'TransitionTime',
    'ETag',
    'StorageClass',
    'IsMultipartUploaded',
    'EncryptionStatus',
    'ObjectAcl',
    'TaggingCount',
    'ObjectType',
    'Crc64',
    'LastAccessDate',
  ],
};

/** OSS Monthly with DayOfMonth: the console page and a Java SDK v2 test (vendor-examples/oss-inventory.md §4 "Monthly / DayOfMonth"). */
const FREQUENCIES: Record<DialectName, readonly string[]> = { cos: ['Daily', 'Weekly', 'Monthly'], oss: ['Daily', 'Weekly', 'Monthly'] };

function invalid(message: string, ec?: string): EmulatorError {
  return new EmulatorError(400, 'InvalidArgument', message, {}, ec);
}

function malformed(): EmulatorError {
  return new EmulatorError(
    400,
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema.',
  );
}

function textOf(el: Element | undefined): string | undefined {
  return el?.text.trim();
}

/** `qcs::cos:ap-guangzhou::examplebucket-1250000000` / `acs:oss:::examplebucket` / a plain name → the name. */
function bucketName(arn: string): string {
  const i = arn.lastIndexOf(':');
  return i >= 0 ? arn.slice(i + 1) : arn;
}

function filterPrefix(filter: Element | undefined): string {
  if (!filter) return '';
  // COS POST (one-time) nests conditions in <And>; PUT and OSS put <Prefix> directly under <Filter>.
  return textOf(child(filter, 'Prefix')) ?? textOf(child(child(filter, 'And') ?? filter, 'Prefix')) ?? '';
}

/**
 * Read an `<InventoryConfiguration>` body. `oneTime` (COS POST) needs neither `IsEnabled` nor `Schedule`.
 * Throws the service's errors for bad input: MalformedXML, or InvalidArgument naming the field.
 */
export function parseInventory(
  dialect: DialectName,
  body: string,
  queryId: string,
  oneTime = false,
): { config: InventoryConfig; xml: Element } {
  let root: Element;
  try {
    root = parseXml(body);
  } catch {
    throw malformed();
  }
  if (root.name !== 'InventoryConfiguration') throw malformed();
  const id = textOf(child(root, 'Id'));
  if (!id) throw invalid('The inventory Id is missing.');
  if (id !== queryId) throw invalid(`The inventory Id "${id}" does not match the id in the request ("${queryId}").`);
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw invalid('The inventory Id may hold only letters, digits, "-", "_" and ".".');
  const dest = child(child(root, 'Destination') ?? root, dialect === 'cos' ? 'COSBucketDestination' : 'OSSBucketDestination');
  if (!dest) throw invalid(`Destination.${dialect === 'cos' ? 'COS' : 'OSS'}BucketDestination is missing.`);
  const destBucket = bucketName(textOf(child(dest, 'Bucket')) ?? '');
  if (!destBucket) throw invalid('The destination Bucket is missing.');
  const format = textOf(child(dest, 'Format')) ?? '';
  if (format !== 'CSV') throw invalid('The destination Format must be CSV.');
  const enabledText = textOf(child(root, 'IsEnabled'));
  if (!oneTime && enabledText !== 'true' && enabledText !== 'false') throw invalid('IsEnabled must be true or false.');
  const schedule = child(root, 'Schedule') ?? root;
  const frequency = textOf(child(schedule, 'Frequency'));
  if (!oneTime && (!frequency || !FREQUENCIES[dialect].includes(frequency))) {
    throw invalid(`Schedule.Frequency must be one of ${FREQUENCIES[dialect].join(', ')}.`);
  }
  const dayText = textOf(child(schedule, 'DayOfMonth'));
  // 1-31; 29-31 fall back to the last day of a short month (oss-inventory.md §4, console page).
  if (dayText !== undefined && (frequency !== 'Monthly' || !/^\d{1,2}$/.test(dayText) || +dayText < 1 || +dayText > 31)) {
    throw invalid('Schedule.DayOfMonth must be a day 1-31, with Frequency Monthly.');
  }
  const account = dialect === 'oss' ? ossAccount(dest) : {};
  const optionalFields = (child(root, 'OptionalFields')?.children ?? []).filter((c) => c.name === 'Field').map((c) => c.text.trim());
  for (const f of optionalFields) if (!OPTIONAL_FIELDS[dialect].includes(f)) throw invalid(`Unknown optional field "${f}".`);
  const versions = textOf(child(root, 'IncludedObjectVersions')) || 'Current';
  if (versions !== 'All' && versions !== 'Current') throw invalid('IncludedObjectVersions must be All or Current.');
  const config: InventoryConfig = {
    id,
    enabled: oneTime || enabledText === 'true',
    destBucket,
    destPrefix: (textOf(child(dest, 'Prefix')) ?? '').replace(/\/+$/, ''),
    format,
    filterPrefix: filterPrefix(child(root, 'Filter')),
    frequency: oneTime ? undefined : frequency,
    ...(dayText !== undefined ? { dayOfMonth: Number(dayText) } : {}),
    ...account,
    includedObjectVersions: versions,
    optionalFields,
  };
  return { config, xml: root };
}

/**
 * OSS `AccountId` and `RoleArn` as received; whether they name the bucket owner is the handler's check.
 * A missing AccountId node is EC 0020-00000013, an empty one 0020-00000028 (vendor-examples/oss-inventory.md §5).
 */
function ossAccount(dest: Element): { accountId: string; roleArn: string } {
  const accountNode = child(dest, 'AccountId');
  if (!accountNode) throw invalid('Destination.OSSBucketDestination.AccountId is missing.', '0020-00000013');
  const accountId = accountNode.text.trim();
  if (!accountId) throw invalid('The AccountId of OSSBucketDestination is invalid: it is empty.', '0020-00000028');
  return { accountId, roleArn: textOf(child(dest, 'RoleArn')) ?? '' };
}

/** An element back as XML text, as it was received (elements and text; the parser keeps nothing else). */
export function renderElement(el: Element): string {
  const inner = el.children.length ? el.children.map(renderElement).join('') : esc(el.text);
  return `<${el.name}>${inner}</${el.name}>`;
}
