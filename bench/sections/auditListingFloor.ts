import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import { ossRegion } from '../../src/storage/oss/client';
import { cosListingRequest, processCpuMs } from './listingFloor';

/**
 * The floor of an audit with the live listings, measured in the same run: both sides' listing pages fetched
 * by plain HTTP at once, each side one page after another (its next page needs this page's token, as the
 * audit's does), bodies received and only the token read out of them — no SDK, no XML parser, no record,
 * no judging. COS pages are signed by the SDK's `COS.getAuthorization`, OSS pages with the V1 signature of
 * the OSS documentation ("Include signatures in the Authorization header").
 */

export interface AuditFloorJob {
  endpoint: string;
  cos: { secretId: string; secretKey: string; region: string; bucket: string };
  oss: { accessKeyId: string; accessKeySecret: string; region: string; bucket: string };
  prefix: string;
  emulatorPid: number;
}

export interface AuditFloor {
  pages: number;
  seconds: number;
  /** Objects listed on the first side per second: pairs a second, as the audit counts them. */
  pairsPerSecond: number;
  emulatorMsPerPage: number;
}

interface PageRequest {
  path: string;
  headers: Record<string, string>;
}

type SidePage = (token: string | undefined) => PageRequest;

function cosPage(job: AuditFloorJob): SidePage {
  return (marker) => cosListingRequest({ ...job.cos, prefix: job.prefix }, marker);
}

function ossPage(job: AuditFloorJob): SidePage {
  const { oss } = job;
  const host = `${oss.bucket}.${ossRegion(oss.region)}.aliyuncs.com`;
  return (token) => {
    const date = new Date().toUTCString();
    // V1: only sub-resources (continuation-token among them) are in the signed resource.
    const resource = `/${oss.bucket}/${token ? `?continuation-token=${token}` : ''}`;
    const signature = createHmac('sha1', oss.accessKeySecret).update(`GET\n\n\n${date}\n${resource}`).digest('base64');
    const query: Record<string, string> = {
      'list-type': '2',
      prefix: job.prefix,
      'max-keys': '1000',
      ...(token ? { 'continuation-token': token } : {}),
    };
    return {
      path: `/?${new URLSearchParams(query).toString()}`,
      headers: { Authorization: `OSS ${oss.accessKeyId}:${signature}`, Date: date, Host: host },
    };
  };
}

/**
 * The next page's token, read from the ends of a page: OSS NextContinuationToken, COS NextMarker or (COS
 * leaves it out without a delimiter) the last key; undefined on the last page.
 */
function nextToken(body: Buffer): string | undefined {
  // A page's token sits before its keys (OSS) or after them (COS): both ends are read, never the middle.
  const ends = body.subarray(0, 4096).toString('utf8') + body.subarray(Math.max(4096, body.length - 4096)).toString('utf8');
  if (!ends.includes('<IsTruncated>true</IsTruncated>')) return undefined;
  const m = /<(?:NextMarker|NextContinuationToken)>([^<]+)</.exec(ends) ?? /.*<Key>([^<]+)<\/Key>/s.exec(ends);
  if (!m) throw new Error('audit floor: a truncated page without a token');
  return m[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function fetchPage(url: URL, agent: http.Agent, req: PageRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: url.hostname, port: url.port, path: req.path, headers: req.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Buffer.concat(chunks))
            : reject(new Error(`audit floor: HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8', 0, 300)}`)),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

export async function auditListingFloor(job: AuditFloorJob, objectsPerSide: number): Promise<AuditFloor> {
  const url = new URL(job.endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  let pages = 0;
  const side = async (page: SidePage): Promise<void> => {
    let token: string | undefined;
    do {
      token = nextToken(await fetchPage(url, agent, page(token)));
      pages++;
    } while (token !== undefined);
  };
  const cpu0 = processCpuMs(job.emulatorPid);
  const started = process.hrtime.bigint();
  await Promise.all([side(cosPage(job)), side(ossPage(job))]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu1 = processCpuMs(job.emulatorPid);
  agent.destroy();
  return {
    pages,
    seconds,
    pairsPerSecond: objectsPerSide / seconds,
    emulatorMsPerPage: cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / pages : NaN,
  };
}
