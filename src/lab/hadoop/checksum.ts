// HDFS file checksums computed the way the NameNode/DataNodes do: MD5-of-MD5-of-CRC32C (default
// combine mode) and COMPOSITE-CRC32C. Table-based CRC32C, no dependencies.
import { createHash } from 'node:crypto';

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Standard CRC-32C (Castagnoli) of `data`, optionally continuing from `crc`. */
export function crc32c(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = (CRC32C_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)) >>> 0;
  return ~c >>> 0;
}

export const BYTES_PER_CRC = 512;
export const DEFAULT_BLOCK_SIZE = 128 * 1024 * 1024;

export interface FileChecksum {
  algorithm: string;
  hex: string;
}

/** `MD5-of-<crcPerBlock>MD5-of-512CRC32C` as `hdfs dfs -checksum` prints it (§5.2 of the reference). */
export function md5Md5Crc32c(data: Uint8Array, blockSize = DEFAULT_BLOCK_SIZE): FileChecksum {
  if (data.length === 0) {
    // Zero-length file: no block, no CRC type; MD5 over the empty 32-byte buffer.
    const md5 = createHash('md5').update(Buffer.alloc(32)).digest('hex');
    return { algorithm: 'MD5-of-0MD5-of-0CRC32', hex: '00000000' + '0000000000000000' + md5 };
  }
  const blockMd5s: Buffer[] = [];
  for (let start = 0; start < data.length; start += blockSize) {
    const block = data.subarray(start, Math.min(start + blockSize, data.length));
    const crcs = Buffer.alloc(Math.ceil(block.length / BYTES_PER_CRC) * 4);
    for (let i = 0, chunk = 0; i < block.length; i += BYTES_PER_CRC, chunk++) {
      crcs.writeUInt32BE(crc32c(block.subarray(i, i + BYTES_PER_CRC)), chunk * 4);
    }
    blockMd5s.push(createHash('md5').update(crcs).digest());
  }
  // The client's DataOutputBuffer: capacity starts at 32 bytes and doubles; MD5 covers the padding.
  let capacity = 32;
  while (capacity < 16 * blockMd5s.length) capacity *= 2;
  const buffer = Buffer.alloc(capacity);
  for (const [i, md5] of blockMd5s.entries()) md5.copy(buffer, i * 16);
  const fileMd5 = createHash('md5').update(buffer).digest('hex');
  const crcPerBlock = blockMd5s.length > 1 ? blockSize / BYTES_PER_CRC : 0;
  const header = Buffer.alloc(12);
  header.writeInt32BE(BYTES_PER_CRC, 0);
  header.writeBigInt64BE(BigInt(crcPerBlock), 4);
  return { algorithm: `MD5-of-${crcPerBlock}MD5-of-${BYTES_PER_CRC}CRC32C`, hex: header.toString('hex') + fileMd5 };
}

/** `COMPOSITE-CRC32C`: the CRC-32C of the whole file, independent of block size. */
export function compositeCrc32c(data: Uint8Array): FileChecksum {
  return { algorithm: 'COMPOSITE-CRC32C', hex: crc32c(data).toString(16).padStart(8, '0') };
}
