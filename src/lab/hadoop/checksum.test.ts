import { describe, expect, it } from 'vitest';
import { compositeCrc32c, crc32c, md5Md5Crc32c } from './checksum.js';

describe('HDFS checksums (reference §5.2 test vectors)', () => {
  it('CRC-32C check value', () => {
    expect(crc32c(Buffer.from('123456789')).toString(16)).toBe('e3069283');
  });

  it('MD5-of-0MD5-of-512CRC32C of small files', () => {
    expect(md5Md5Crc32c(Buffer.from('world\n'))).toEqual({
      algorithm: 'MD5-of-0MD5-of-512CRC32C',
      hex: '000002000000000000000000a74dcf6d5ba98e50ae0182c9d5d886fe',
    });
    expect(md5Md5Crc32c(Buffer.from('world')).hex.slice(24)).toBe('05a157db1cc7549c82ec6f31f63fdb46');
  });

  it('zero-length file', () => {
    expect(md5Md5Crc32c(Buffer.alloc(0))).toEqual({
      algorithm: 'MD5-of-0MD5-of-0CRC32',
      hex: '000000000000000000000000' + '70bc8f4b72a86921468bf8e8441dce51',
    });
  });

  it('one block just under 128 MiB, and two blocks (crcPerBlock 262144, padded MD5 buffer)', () => {
    expect(md5Md5Crc32c(Buffer.alloc(128 * 1024 * 1024 - 1)).hex.slice(24)).toBe('1cf326bae8274fd824ec69ece3e4082f');
    const two = md5Md5Crc32c(Buffer.alloc(153_600_000));
    expect(two.algorithm).toBe('MD5-of-262144MD5-of-512CRC32C');
    expect(two.hex).toBe('00000200' + '0000000000040000' + '7d04ac8132ad64988f7ba4d819cbde62');
  });

  it('COMPOSITE-CRC32C is the CRC-32C of the whole file', () => {
    expect(compositeCrc32c(Buffer.from('world\n'))).toEqual({ algorithm: 'COMPOSITE-CRC32C', hex: 'd4ad7373' });
  });
});
