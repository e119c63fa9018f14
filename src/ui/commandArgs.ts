import type { CommandId } from './commandIds';

/**
 * The arguments each of the extension's commands takes when another command, the API or a test runs it
 * (`runCommand`), next to the ids of `commandIds.ts`: a wrong argument is a compile error there. Menus
 * and the palette pass what VS Code passes (a tree node, a file's URI, nothing): each command reads its
 * argument through one reader (`shared/commandArgs.ts`), so these shapes are what it accepts besides.
 * Type-only: editor-free.
 */

/** A remote place as a caller names it: an object (`key`), a prefix (`prefix`, ending in '/'), a bucket or a profile. */
export interface PlaceArg {
  profile: string;
  bucket?: string;
  key?: string;
  prefix?: string;
}

/** A local file or folder: a `vscode.Uri`, or anything with its `fsPath`. */
export interface LocalArg {
  fsPath: string;
}

/** What a menu passes: a tree node (it has a `kind`) or a URI (read at run time). */
export type MenuArg = { readonly kind: string } | { readonly scheme: string; readonly path: string };

/** A copy's or a move's destination, and whether to replace what is there. */
export interface CopyOptions {
  destination: { profile: string; bucket: string; key: string };
  overwrite?: boolean;
  /** An archived source is restored with this tier and days first (not asked), then copied. */
  restore?: { tier: 'Expedited' | 'Standard' | 'Bulk'; days: number };
}

/** `{ run: id }` names one of the Results view's runs (the newest without it). */
export interface ResultsArg {
  run?: number | { id: number };
  file?: string;
  format?: 'csv' | 'json';
  outcomes?: string[];
}

export interface VerifyArg extends Partial<PlaceArg> {
  localDir?: string;
  againstRecord?: boolean;
  restart?: boolean;
  whenNoRecord?: 'head' | 'cancel';
}

type Place = [target?: PlaceArg | MenuArg];
type Local = [target?: LocalArg | MenuArg, selection?: readonly LocalArg[]];
type None = [];

export interface CommandArgs {
  'bucketIntegrity.computeCrc64': Local;
  'bucketIntegrity.upload': Local;
  'bucketIntegrity.uploadHere': [target?: PlaceArg | MenuArg, items?: unknown];
  'bucketIntegrity.appendToObject': [target?: PlaceArg | MenuArg, file?: LocalArg];
  'bucketIntegrity.download': Place;
  'bucketIntegrity.downloadFolder': Place;
  'bucketIntegrity.resumeUploads': None;
  'bucketIntegrity.addProfile': None;
  'bucketIntegrity.editProfile': [profile?: string | MenuArg];
  'bucketIntegrity.removeProfile': [profile?: string | MenuArg];
  'bucketIntegrity.setProfileKeys': [profile?: string | MenuArg];
  'bucketIntegrity.mapFolder': Local;
  'bucketIntegrity.refresh': None;
  'bucketIntegrity.refreshNode': Place;
  'bucketIntegrity.loadMore': Place;
  'bucketIntegrity.filterPrefix': Place;
  'bucketIntegrity.clearFilter': Place;
  'bucketIntegrity.copyKey': Place;
  'bucketIntegrity.copyCrc64': Place;
  'bucketIntegrity.compareWithRemote': Local;
  'bucketIntegrity.compareWithLocal': Place;
  'bucketIntegrity.computeRemoteCrc': Place;
  'bucketIntegrity.enableCrcInventory': Place;
  'bucketIntegrity.importInventory': Place;
  'bucketIntegrity.verifyBucket': [target?: VerifyArg | MenuArg];
  'bucketIntegrity.verifyPrefix': [target?: VerifyArg | MenuArg];
  'bucketIntegrity.exportVerifyReport': [options?: { file?: string; format?: 'csv' | 'json' }];
  'bucketIntegrity.compareWithBucket': [
    node?:
      | MenuArg
      | {
          first?: { profile: string; bucket: string; prefix: string };
          other?: { profile: string; bucket: string; prefix: string };
          restart?: boolean;
        },
  ];
  'bucketIntegrity.exportAuditReport': [options?: { file?: string; format?: 'csv' | 'json' }];
  'bucketIntegrity.openObject': Place;
  'bucketIntegrity.openChanges': [target?: LocalArg | PlaceArg | MenuArg];
  'bucketIntegrity.copyObject': [source?: PlaceArg | MenuArg, options?: CopyOptions];
  'bucketIntegrity.moveObject': [source?: PlaceArg | MenuArg, options?: CopyOptions];
  'bucketIntegrity.revealInBuckets': Place;
  'bucketIntegrity.showLog': None;
  'bucketIntegrity.deleteObjects': [
    target?: PlaceArg | MenuArg,
    selection?: readonly (PlaceArg | MenuArg)[],
    options?: { confirm?: boolean },
  ];
  'bucketIntegrity.createFolder': [target?: PlaceArg | MenuArg, name?: string];
  'bucketIntegrity.createBucket': [profile?: string | MenuArg, name?: string];
  'bucketIntegrity.copyUrl': Place;
  'bucketIntegrity.copyPresignedUrl': Place;
  'bucketIntegrity.rerunResults': [target?: ResultsArg | MenuArg];
  'bucketIntegrity.filterResults': [target?: ResultsArg];
  'bucketIntegrity.exportResults': [target?: ResultsArg | MenuArg];
  'bucketIntegrity.clearResults': None;
  'bucketIntegrity.restoreObject': [target?: PlaceArg | MenuArg, request?: { tier?: string; days?: number }];
  'bucketIntegrity.setCustomerKey': [profile?: string | MenuArg, key?: string];
  'bucketIntegrity.openVersion': [version?: MenuArg];
  'bucketIntegrity.downloadVersion': [version?: MenuArg, target?: string];
  'bucketIntegrity.verifyAllVersions': [objectOrVersion?: MenuArg];
}

/** Every command has its arguments declared (a new id without them does not compile). */
type Undeclared = Exclude<CommandId, keyof CommandArgs>;
export const EVERY_COMMAND_HAS_ARGS: [Undeclared] extends [never] ? true : Undeclared = true;
