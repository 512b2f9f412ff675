/**
 * Duration of an OGG/Opus stream in seconds, read from its pages (RFC 3533: each page starts with
 * `OggS`, its granule position at byte 6, 27-byte header, segment table, body; RFC 7845: the first
 * packet is `OpusHead` with the pre-skip at byte 10, granules count 48 kHz samples).
 *
 * @returns undefined when the bytes are not a complete, well-formed OGG/Opus stream (a corrupt or cut file).
 */
export function oggOpusDuration(data: Buffer): number | undefined {
  let offset = 0;
  let preSkip: number | undefined;
  let lastGranule = -1n;
  while (offset < data.length) {
    if (offset + 27 > data.length || data.toString('latin1', offset, offset + 4) !== 'OggS') return undefined;
    const segments = data[offset + 26];
    const tableEnd = offset + 27 + segments;
    if (tableEnd > data.length) return undefined;
    let bodyLength = 0;
    for (let i = offset + 27; i < tableEnd; i++) bodyLength += data[i];
    if (tableEnd + bodyLength > data.length) return undefined;
    if (preSkip === undefined) {
      if (data.toString('latin1', tableEnd, tableEnd + 8) !== 'OpusHead') return undefined;
      preSkip = data.readUInt16LE(tableEnd + 10);
    }
    const granule = data.readBigInt64LE(offset + 6);
    if (granule >= 0n) lastGranule = granule;
    offset = tableEnd + bodyLength;
  }
  if (preSkip === undefined || lastGranule < 0n) return undefined;
  return Math.max(0, Number(lastGranule) - preSkip) / 48000;
}

/** Duration of a PCM WAV file in seconds (RIFF `fmt ` byte rate, `data` chunk size); undefined for other bytes. */
export function wavDuration(data: Buffer): number | undefined {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'RIFF' || data.toString('latin1', 8, 12) !== 'WAVE') return undefined;
  let byteRate: number | undefined;
  for (let offset = 12; offset + 8 <= data.length; ) {
    const id = data.toString('latin1', offset, offset + 4);
    const size = data.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 16 <= data.length) byteRate = data.readUInt32LE(offset + 16);
    if (id === 'data' && byteRate) return Math.min(size, data.length - offset - 8) / byteRate;
    offset += 8 + size + (size % 2);
  }
  return undefined;
}
