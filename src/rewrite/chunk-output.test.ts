import { describe, expect, it } from 'vitest';
import { ChunkOutput } from './chunk-output.js';

const src = Buffer.from('0123456789abcdefghij');

/** What the sweep does: write `bytes` at the output's place in the area, then say so. */
function sweepWrites(out: ChunkOutput, area: Buffer, bytes: string): void {
  const place = out.placeInArea();
  expect(place).toBeGreaterThanOrEqual(0);
  area.write(bytes, place, 'latin1');
  out.wroteInArea(bytes.length);
}

describe('ChunkOutput', () => {
  it('is a view of the input while nothing is changed, area or not', () => {
    const out = new ChunkOutput(true);
    out.reset(src, Buffer.alloc(64));
    out.range(2, 6);
    out.range(6, 9);
    const result = out.result();
    expect(result.toString()).toBe('2345678');
    expect(result.buffer).toBe(src.buffer);
  });

  it('lets the sweep write in place in the area, the kept range copied before it only then', () => {
    const area = Buffer.alloc(64, '.');
    const out = new ChunkOutput(true);
    out.reset(src, area);
    out.range(0, 4);
    expect(out.placeInArea()).toBe(4);
    expect(area.toString('latin1', 0, 4)).toBe('....'); // nothing copied yet
    sweepWrites(out, area, 'SWEPT');
    out.piece(Buffer.from('+'));
    out.range(10, 12);
    sweepWrites(out, area, 'MORE');
    const result = out.result();
    expect(result.toString()).toBe('0123SWEPT+abMORE');
    expect(result.buffer).toBe(area.buffer);
    expect(result.byteOffset).toBe(area.byteOffset);
  });

  it('writes nothing to the area when the sweep wrote nothing', () => {
    const area = Buffer.alloc(8, '.');
    const out = new ChunkOutput(true);
    out.reset(src, area);
    out.range(0, 3);
    out.wroteInArea(0);
    out.range(3, 5);
    expect(out.result().toString()).toBe('01234');
    expect(area.toString()).toBe('........');
  });

  it('copies the sweep output out of the area when the kept range is longer than the area', () => {
    const area = Buffer.alloc(4);
    const out = new ChunkOutput(true);
    out.reset(src, area);
    out.range(0, 6);
    expect(out.placeInArea()).toBe(-1);
    area.write('XYZ', 0); // the sweep's output at the area's start, then copied
    out.piece(area.subarray(0, 3));
    out.range(6, 8);
    const result = out.result();
    expect(result.toString()).toBe('012345XYZ67');
    expect(result.buffer).not.toBe(area.buffer);
  });

  it('moves out of the area when the output outgrows it, and the sweep then writes elsewhere', () => {
    const area = Buffer.alloc(8);
    const out = new ChunkOutput(true);
    out.reset(src, area);
    sweepWrites(out, area, 'ABCDEF');
    out.piece(Buffer.from('GHIJ'));
    expect(out.placeInArea()).toBe(-1);
    out.range(0, 2);
    expect(out.result().toString()).toBe('ABCDEFGHIJ01');
  });

  it('does not use the area for a caller that keeps its results (no reuse)', () => {
    const area = Buffer.alloc(64);
    const out = new ChunkOutput(false);
    out.reset(src, area);
    expect(out.placeInArea()).toBe(-1);
    out.range(0, 2);
    out.piece(Buffer.from('!'));
    const result = out.result();
    expect(result.toString()).toBe('01!');
    expect(result.buffer).not.toBe(area.buffer);
  });

  it('starts each output afresh in the area', () => {
    const area = Buffer.alloc(32);
    const out = new ChunkOutput(true);
    out.reset(src, area);
    sweepWrites(out, area, 'first');
    expect(out.result().toString()).toBe('first');
    out.reset(src, area);
    out.range(1, 3);
    sweepWrites(out, area, '!');
    expect(out.result().toString()).toBe('12!');
  });
});
