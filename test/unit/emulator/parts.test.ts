import { describe, expect, it } from 'vitest';
import { FaultRegistry, parseActionName } from '../../../emulator/faults';
import { child, parseXml, toXml } from '../../../emulator/xml';

describe('fault rules', () => {
  it('match on dialect, op, bucket, key and part number, and run out after `times`', () => {
    const reg = new FaultRegistry();
    reg.add({ dialect: 'cos', op: 'UploadPart', bucket: 'b', key: 'k', partNumber: 2, times: 2, action: { kind: 'corrupt-upload' } });
    const t = { dialect: 'cos' as const, op: 'UploadPart' as const, bucket: 'b', key: 'k' };
    expect(reg.take({ ...t, partNumber: 1 })).toEqual([]);
    expect(reg.take({ ...t, dialect: 'oss', partNumber: 2 })).toEqual([]);
    expect(reg.take({ ...t, partNumber: 2 })).toEqual([{ kind: 'corrupt-upload' }]);
    expect(reg.take({ ...t, partNumber: 2 })).toEqual([{ kind: 'corrupt-upload' }]);
    expect(reg.take({ ...t, partNumber: 2 })).toEqual([]);
  });

  it('Infinity never runs out; clear and remove drop rules; bad rules are refused', () => {
    const reg = new FaultRegistry();
    const id = reg.add({ op: 'GetObject', times: Infinity, action: { kind: 'omit-crc-header' } });
    for (let i = 0; i < 50; i++) expect(reg.take({ dialect: 'oss', op: 'GetObject' })).toHaveLength(1);
    reg.remove(id);
    expect(reg.take({ dialect: 'oss', op: 'GetObject' })).toEqual([]);
    reg.add({ action: { kind: 'delay', ms: 1 } });
    reg.clear();
    expect(reg.list()).toEqual([]);
    expect(() => reg.add({ action: { kind: 'status', status: 200 } })).toThrow();
    expect(() => reg.add({ times: 0, action: { kind: 'reset' } })).toThrow();
  });

  it('parses the HTTP action names', () => {
    expect(parseActionName('status-503')).toEqual({ kind: 'status', status: 503 });
    expect(parseActionName('delay-ms:250')).toEqual({ kind: 'delay', ms: 250 });
    expect(parseActionName('corrupt-body')).toEqual({ kind: 'corrupt-upload' });
    expect(parseActionName('corrupt-get-body')).toEqual({ kind: 'corrupt-download' });
    expect(parseActionName('wrong-crc')).toEqual({ kind: 'wrong-crc-header' });
    expect(parseActionName('no-crc')).toEqual({ kind: 'omit-crc-header' });
    expect(parseActionName('store-without-crc')).toEqual({ kind: 'store-without-crc' });
    expect(parseActionName('reset')).toEqual({ kind: 'reset' });
    expect(() => parseActionName('explode')).toThrow(/unknown fault action/);
  });
});

describe('request XML', () => {
  it('reads elements, entities, CDATA and comments', () => {
    const root = parseXml(
      '<?xml version="1.0"?>\n<!-- c --><Delete><Quiet>true</Quiet><Object><Key>a &amp; b</Key></Object><Object><Key><![CDATA[<c>]]></Key></Object></Delete>',
    );
    expect(root.name).toBe('Delete');
    expect(child(root, 'Quiet')?.text).toBe('true');
    expect(root.children.filter((c) => c.name === 'Object').map((o) => child(o, 'Key')?.text)).toEqual(['a & b', '<c>']);
  });

  it('refuses unbalanced or truncated documents', () => {
    for (const bad of ['<A><B></A>', '<A>', '<A></A><B/>', 'text', '<A><B>x</B>']) expect(() => parseXml(bad)).toThrow();
  });

  it('writes escaped values and repeated elements, leaving out undefined', () => {
    expect(toXml({ A: 'x<y', B: [{ C: 1 }, { C: 2 }], D: undefined })).toBe('<A>x&lt;y</A><B><C>1</C></B><B><C>2</C></B>');
  });
});
