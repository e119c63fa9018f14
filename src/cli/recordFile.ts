import { join, resolve } from 'node:path';
import type { RemoteUrl } from '../transfer/remoteUrl';
import type { CliIo } from './io';
import { stateDir } from './transferOutput';

/** Where the CLI's CRC record is, and the name it files a remote's objects under. */

/** The name objects are recorded under when `--profile` is not given: the service they live in. */
export function defaultProfile(remote: RemoteUrl, connection: { endpoint?: string; region: string }): string {
  return `${remote.provider}:${connection.endpoint ?? connection.region}`;
}

/** The CLI's record file in the state directory (`--state-dir`, `$BUCKET_INTEGRITY_STATE_DIR`, the default). */
export function recordFile(io: CliIo, stateDirFlag: string | undefined): string {
  return join(resolve(io.cwd, stateDir(stateDirFlag, io.env)), 'record.sqlite');
}
