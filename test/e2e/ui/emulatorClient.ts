import type COS from 'cos-nodejs-sdk-v5';
import type { UiContext } from './workbench';

/**
 * The emulator as the UI tests see it from outside the window: the COS SDK to set up and check objects,
 * and the control API's request log. What the extension did is checked here, never through the extension.
 */
export class EmulatorClient {
  readonly cos: COS;

  constructor(private readonly ctx: UiContext) {
    const COSClass = require('cos-nodejs-sdk-v5') as typeof COS;
    const emu = ctx.emulator!;
    this.cos = new COSClass({
      SecretId: emu.cos.secretId,
      SecretKey: emu.cos.secretKey,
      Protocol: 'http:',
      Ip: new URL(emu.endpoint).host,
      AutoSwitchHost: false,
    } as COS.COSOptions);
  }

  private get region(): string {
    return this.ctx.emulator!.cos.region;
  }

  putObject(bucket: string, key: string, body: Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.cos.putObject({ Bucket: bucket, Region: this.region, Key: key, Body: body }, (err) => (err ? reject(err) : resolve())),
    );
  }

  deleteObject(bucket: string, key: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.cos.deleteObject({ Bucket: bucket, Region: this.region, Key: key }, (err) => (err ? reject(err) : resolve())),
    );
  }

  /** The object's headers, or undefined when the bucket has no such key. */
  headObject(bucket: string, key: string): Promise<Record<string, string> | undefined> {
    return new Promise((resolve, reject) =>
      this.cos.headObject({ Bucket: bucket, Region: this.region, Key: key }, (err, data) => {
        if (err) return err.statusCode === 404 ? resolve(undefined) : reject(err);
        resolve(data.headers as Record<string, string>);
      }),
    );
  }

  /** The emulator's request log (its control API), oldest first. */
  async requests(): Promise<Array<{ time: number; op: string; key?: string }>> {
    const res = await fetch(`${this.ctx.emulator!.endpoint}/_emulator/requests`);
    return (await res.json()) as Array<{ time: number; op: string; key?: string }>;
  }
}
