import * as l10n from '@vscode/l10n';
import { formatCount } from '../util/format';
import { join, resolve } from 'node:path';
import { CrcRecord, RecordError } from '../record';
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

/**
 * The CLI's record, opened. A record that cannot be opened (in use by another run, damaged) is said with
 * its hint through `say` and gives undefined: the command then ends with the usage exit code.
 */
export async function openCliRecord(
  io: CliIo,
  stateDirFlag: string | undefined,
  say: (text: string) => void,
): Promise<CrcRecord | undefined> {
  try {
    let said = 0;
    return await CrcRecord.open(recordFile(io, stateDirFlag), {
      // Moving a record of an older version happens once; a large one takes a while, so it is said.
      move: {
        onProgress: (rows) => {
          if (Date.now() - said < 5000) return;
          said = Date.now();
          say(l10n.t('Moving the CRC record to its new format (once): {0} objects so far', formatCount(rows)));
        },
      },
    });
  } catch (err) {
    if (!(err instanceof RecordError)) throw err;
    say(`${err.message}${err.hint ? `\n${err.hint}` : ''}`);
    return undefined;
  }
}
