import { afterAll, beforeAll } from 'vitest';
import type COS from 'cos-nodejs-sdk-v5';
import type OSS from 'ali-oss';
import { cosClient, makeCosBucket, makeOssBucket, ossClient, startTestEmulator, type Emulator } from '../../support/emulator';

/** An emulator for a test file with the raw SDKs' clients and one fresh bucket per service. */
export interface SdkSuite {
  readonly emu: Emulator;
  readonly cos: COS;
  readonly oss: OSS;
  readonly cosBucket: string;
  /** The bucket `oss` is bound to. */
  readonly ossBucket: string;
}

/** Starts the emulator before the file's tests (buckets named from `base`) and closes it after them. */
export function sdkSuite(base: string): SdkSuite {
  let suite: SdkSuite | undefined;
  beforeAll(async () => {
    const emu = await startTestEmulator();
    const ossBucket = await makeOssBucket(emu, base);
    suite = { emu, cos: cosClient(emu), oss: ossClient(emu, ossBucket), cosBucket: await makeCosBucket(emu, base), ossBucket };
  });
  afterAll(async () => {
    await suite?.emu.close();
  });
  const get = (): SdkSuite => {
    if (!suite) throw new Error('the suite is used before its beforeAll ran');
    return suite;
  };
  return {
    get emu() {
      return get().emu;
    },
    get cos() {
      return get().cos;
    },
    get oss() {
      return get().oss;
    },
    get cosBucket() {
      return get().cosBucket;
    },
    get ossBucket() {
      return get().ossBucket;
    },
  };
}
