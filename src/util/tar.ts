// A minimal POSIX ustar writer (regular files only), gzip-compressed with node:zlib: enough for a
// diagnostic bundle without a dependency. `tar -tzf` and `tar -xzf` read what it writes.
import { gzipSync } from 'node:zlib';

export interface TarMember {
  /** Path inside the archive, `/`-separated, at most 100 bytes (or 255 with a prefix split at a `/`). */
  name: string;
  data: Buffer;
  mode?: number;
  mtime?: Date;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** Split a long name into ustar's prefix (155) and name (100) at a `/`. */
function splitName(name: string): { prefix: string; base: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', base: name };
  for (let i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const prefix = name.slice(0, i);
    const base = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100) return { prefix, base };
  }
  throw new Error(`tar: the member name is too long for ustar: ${name}`);
}

function header(member: TarMember): Buffer {
  const block = Buffer.alloc(512, 0);
  const { prefix, base } = splitName(member.name);
  block.write(base, 0, 100, 'utf8');
  block.write(octal(member.mode ?? 0o600, 8), 100, 8, 'ascii');
  block.write(octal(0, 8), 108, 8, 'ascii'); // uid
  block.write(octal(0, 8), 116, 8, 'ascii'); // gid
  block.write(octal(member.data.length, 12), 124, 12, 'ascii');
  block.write(octal(Math.floor((member.mtime ?? new Date()).getTime() / 1000), 12), 136, 12, 'ascii');
  block.write('        ', 148, 8, 'ascii'); // checksum placeholder: spaces while summing
  block.write('0', 156, 1, 'ascii'); // regular file
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write('hmsdr', 265, 32, 'ascii'); // uname
  block.write('hmsdr', 297, 32, 'ascii'); // gname
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

/** The uncompressed archive: each member's header and data padded to 512 bytes, then two zero blocks. */
export function tarArchive(members: readonly TarMember[]): Buffer {
  const parts: Buffer[] = [];
  for (const member of members) {
    parts.push(header(member), member.data);
    const pad = (512 - (member.data.length % 512)) % 512;
    if (pad > 0) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}

export const tarGz = (members: readonly TarMember[]): Buffer => gzipSync(tarArchive(members));
