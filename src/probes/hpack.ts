// HPACK (RFC 7541) for the raw HTTP/2 flood client: a full decoder (static and dynamic tables,
// table size updates, Huffman strings) because servers index and Huffman-code their response
// headers, and an encoder that only emits static-table references and literals without
// indexing, so the request header block can be encoded once and sent unchanged on every stream.

export type HeaderField = readonly [name: string, value: string];

const STATIC_TABLE: readonly HeaderField[] = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''],
  ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''],
  ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''], ['content-length', ''],
  ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''], ['etag', ''],
  ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''],
  ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''],
  ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''], ['proxy-authorization', ''], ['range', ''],
  ['referer', ''], ['refresh', ''], ['retry-after', ''], ['server', ''], ['set-cookie', ''],
  ['strict-transport-security', ''], ['transfer-encoding', ''], ['user-agent', ''], ['vary', ''], ['via', ''],
  ['www-authenticate', ''],
];

// Code lengths of the 257 symbols (256 octets + EOS) of RFC 7541 Appendix B. The code is
// canonical, so the codes themselves follow from the lengths.
const HUFFMAN_LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];
const EOS = 256;
const MAX_CODE_LENGTH = 30;

interface CanonicalCode { firstCode: Int32Array; firstIndex: Int32Array; count: Int32Array; symbols: Uint16Array }

function canonicalCode(lengths: readonly number[]): CanonicalCode {
  const count = new Int32Array(MAX_CODE_LENGTH + 1);
  for (const l of lengths) count[l]!++;
  const firstCode = new Int32Array(MAX_CODE_LENGTH + 1);
  const firstIndex = new Int32Array(MAX_CODE_LENGTH + 1);
  let code = 0;
  let index = 0;
  for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
    firstCode[len] = code;
    firstIndex[len] = index;
    code = (code + count[len]!) * 2;
    index += count[len]!;
  }
  const symbols = new Uint16Array(lengths.length);
  const order = lengths.map((l, s) => [l, s] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  order.forEach(([, s], i) => { symbols[i] = s; });
  return { firstCode, firstIndex, count, symbols };
}

const HUFFMAN = canonicalCode(HUFFMAN_LENGTHS);

export class HpackError extends Error {}

/** Decodes a Huffman-coded string (RFC 7541 §5.2): padding must be < 8 bits, all ones, and no EOS. */
export function huffmanDecode(buf: Uint8Array, start: number, end: number): string {
  const { firstCode, firstIndex, count, symbols } = HUFFMAN;
  const out: number[] = [];
  let code = 0;
  let len = 0;
  for (let i = start; i < end; i++) {
    const byte = buf[i]!;
    for (let bit = 7; bit >= 0; bit--) {
      code = code * 2 + ((byte >> bit) & 1);
      len++;
      const k = code - firstCode[len]!;
      if (k >= 0 && k < count[len]!) {
        const sym = symbols[firstIndex[len]! + k]!;
        if (sym === EOS) throw new HpackError('Huffman string contains EOS');
        out.push(sym);
        code = 0;
        len = 0;
      } else if (len >= MAX_CODE_LENGTH) throw new HpackError('invalid Huffman code');
    }
  }
  if (len >= 8 || code !== 2 ** len - 1) throw new HpackError('invalid Huffman padding');
  return String.fromCharCode(...out);
}

export class HpackDecoder {
  /** Newest entry first, as HPACK numbers them. */
  private readonly dynamic: HeaderField[] = [];
  private size = 0;
  private maxSize: number;

  /** limit: the SETTINGS_HEADER_TABLE_SIZE this side announced (4096 unless changed). */
  constructor(private readonly limit = 4096) {
    this.maxSize = limit;
  }

  decode(buf: Uint8Array, start = 0, end = buf.length): HeaderField[] {
    const fields: HeaderField[] = [];
    const pos = { i: start };
    while (pos.i < end) {
      const b = buf[pos.i]!;
      if (b & 0x80) {
        fields.push(this.entry(readInt(buf, pos, end, 7)));
      } else if (b & 0x40) {
        const f = this.literal(buf, pos, end, 6);
        this.add(f);
        fields.push(f);
      } else if (b & 0x20) {
        const size = readInt(buf, pos, end, 5);
        if (size > this.limit) throw new HpackError(`table size update ${size} above the announced ${this.limit}`);
        this.maxSize = size;
        this.evict(0);
      } else {
        fields.push(this.literal(buf, pos, end, 4));
      }
    }
    return fields;
  }

  private entry(index: number): HeaderField {
    if (index === 0) throw new HpackError('index 0');
    if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1]!;
    const e = this.dynamic[index - STATIC_TABLE.length - 1];
    if (!e) throw new HpackError(`index ${index} beyond the dynamic table (${this.dynamic.length} entries)`);
    return e;
  }

  private literal(buf: Uint8Array, pos: { i: number }, end: number, prefix: number): HeaderField {
    const nameIndex = readInt(buf, pos, end, prefix);
    const name = nameIndex === 0 ? readString(buf, pos, end) : this.entry(nameIndex)[0];
    return [name, readString(buf, pos, end)];
  }

  private add(f: HeaderField): void {
    const size = f[0].length + f[1].length + 32;
    this.evict(size);
    if (size <= this.maxSize) {
      this.dynamic.unshift(f);
      this.size += size;
    }
  }

  private evict(incoming: number): void {
    while (this.dynamic.length > 0 && this.size + incoming > this.maxSize) {
      const old = this.dynamic.pop()!;
      this.size -= old[0].length + old[1].length + 32;
    }
  }
}

function readInt(buf: Uint8Array, pos: { i: number }, end: number, prefix: number): number {
  const mask = (1 << prefix) - 1;
  let value = buf[pos.i++]! & mask;
  if (value < mask) return value;
  let shift = 0;
  for (;;) {
    if (pos.i >= end) throw new HpackError('truncated integer');
    const b = buf[pos.i++]!;
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return value;
    if (shift > 28) throw new HpackError('integer too large');
  }
}

function readString(buf: Uint8Array, pos: { i: number }, end: number): string {
  if (pos.i >= end) throw new HpackError('truncated string');
  const huffman = (buf[pos.i]! & 0x80) !== 0;
  const len = readInt(buf, pos, end, 7);
  const from = pos.i;
  pos.i += len;
  if (pos.i > end) throw new HpackError('string beyond the header block');
  return huffman ? huffmanDecode(buf, from, pos.i) : Buffer.from(buf.buffer, buf.byteOffset + from, len).toString('latin1');
}

function writeInt(out: number[], value: number, prefix: number, flags: number): void {
  const mask = (1 << prefix) - 1;
  if (value < mask) { out.push(flags | value); return; }
  out.push(flags | mask);
  value -= mask;
  while (value >= 0x80) { out.push((value % 0x80) | 0x80); value = Math.floor(value / 0x80); }
  out.push(value);
}

function writeString(out: number[], s: string): void {
  const bytes = Buffer.from(s, 'latin1');
  writeInt(out, bytes.length, 7, 0);
  out.push(...bytes);
}

/**
 * Encodes a header list using only the static table and literals without indexing: the
 * block leaves the peer's dynamic table untouched, so it is valid on every stream as is.
 */
export function encodeHeaderBlock(fields: readonly HeaderField[]): Buffer {
  const out: number[] = [];
  for (const [name, value] of fields) {
    const full = STATIC_TABLE.findIndex(([n, v]) => n === name && v === value);
    if (full >= 0) { writeInt(out, full + 1, 7, 0x80); continue; }
    const byName = STATIC_TABLE.findIndex(([n]) => n === name);
    writeInt(out, byName + 1, 4, 0x00);
    if (byName < 0) writeString(out, name);
    writeString(out, value);
  }
  return Buffer.from(out);
}
