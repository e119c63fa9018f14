import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import COS from 'cos-nodejs-sdk-v5';

/**
 * The floor of a live listing, measured in the same run: the same 1,000-key pages fetched by plain HTTP
 * (signed, kept-alive, as many at once as the verify lists ranges), their bodies received and dropped —
 * no SDK, no parsing, no record. What is left is the emulator writing each page and the socket carrying
 * it; the emulator's own CPU time per page is read from /proc, since both processes share the two cores.
 */

export interface ListingFloorJob {
  endpoint: string;
  secretId: string;
  secretKey: string;
  region: string;
  bucket: string;
  /** The seeded prefix and its keys' shape: `<prefix><index zero-padded to width>`. */
  prefix: string;
  count: number;
  width: number;
  /** Pages at once (the verify's ranges listed side by side). */
  concurrency: number;
  /** The emulator's process id, for its CPU time. */
  emulatorPid: number;
}

export interface ListingFloor {
  pages: number;
  seconds: number;
  objectsPerSecond: number;
  /** The emulator's CPU time per page (user + system). */
  emulatorMsPerPage: number;
}

/** CPU time (user + system) of a process so far, in ms; undefined where /proc is not there. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime (fields 14 and 15 of stat) in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** A COS listing page's request (GET Bucket, 1,000 keys after `marker`), signed by the SDK's `COS.getAuthorization`. */
export function cosListingRequest(
  o: { secretId: string; secretKey: string; region: string; bucket: string; prefix: string },
  marker: string | undefined,
): { path: string; headers: Record<string, string> } {
  const host = `${o.bucket}.cos.${o.region}.myqcloud.com`;
  const query: Record<string, string> = { prefix: o.prefix, 'max-keys': '1000', ...(marker ? { marker } : {}) };
  const auth = COS.getAuthorization({
    SecretId: o.secretId,
    SecretKey: o.secretKey,
    Method: 'GET',
    Key: '',
    Query: query,
    Headers: { Host: host },
  });
  return { path: `/?${new URLSearchParams(query).toString()}`, headers: { Authorization: auth, Host: host } };
}

export async function listingFloor(job: ListingFloorJob): Promise<ListingFloor> {
  const url = new URL(job.endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const page = (marker: string) => {
    const { path, headers } = cosListingRequest(job, marker);
    return new Promise<void>((resolve, reject) => {
      http
        .get({ host: url.hostname, port: url.port, path, headers, agent }, (res) => {
          if (res.statusCode !== 200) reject(new Error(`listing floor: HTTP ${res.statusCode}`));
          res.on('data', () => undefined);
          res.on('end', resolve);
          res.on('error', reject);
        })
        .on('error', reject);
    });
  };
  const pages = Math.ceil(job.count / 1000);
  // Page i starts after key i*1000 - 1: the pages are independent, fetched `concurrency` at once.
  const markers = Array.from({ length: pages }, (_, i) => (i === 0 ? '' : job.prefix + String(i * 1000 - 1).padStart(job.width, '0')));
  const cpu0 = processCpuMs(job.emulatorPid);
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < markers.length) await page(markers[next++]);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu1 = processCpuMs(job.emulatorPid);
  agent.destroy();
  return {
    pages,
    seconds,
    objectsPerSecond: job.count / seconds,
    emulatorMsPerPage: cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / pages : NaN,
  };
}
