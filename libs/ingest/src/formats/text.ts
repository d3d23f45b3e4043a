import { TrackFormatError } from './track-format-error';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** Set when the bytes were not UTF-8 and were read in another encoding. */
  warning?: string;
}

/** The encoding a byte order mark names, and the mark's length. */
function byteOrderMark(bytes: Uint8Array): { encoding: TextEncoding; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

/** UTF-16 without a mark: ASCII text then has a zero in every other byte. */
function unmarkedUtf16(bytes: Uint8Array): TextEncoding | undefined {
  const sample = bytes.subarray(0, 512);
  if (sample.length < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i += 1) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenZeros += 1;
    else oddZeros += 1;
  }
  const half = sample.length / 2;
  if (oddZeros > half * 0.8 && evenZeros === 0) return 'utf-16le';
  if (evenZeros > half * 0.8 && oddZeros === 0) return 'utf-16be';
  return undefined;
}

function isText(text: string): boolean {
  // Control characters other than tab, line feed, carriage return and form feed mean binary data.
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b\u000e-\u001f]/.test(text.slice(0, 64 * 1024));
}

/** A UTF-8 sequence cut by the end of `bytes` (a file's head), to leave out before strict decoding. */
function cutSequenceLength(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

/**
 * The first bytes of a file as text, in the encoding decodeText would pick, without refusing
 * binary content (detection judges that) and without tripping on a character cut at the end.
 */
export function decodeHead(bytes: Uint8Array): DecodedText {
  const mark = byteOrderMark(bytes);
  const encoding = mark?.encoding ?? unmarkedUtf16(bytes);
  if (encoding) return { text: new TextDecoder(encoding).decode(bytes.subarray(mark?.length ?? 0)), encoding };
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, bytes.length - cutSequenceLength(bytes))),
      encoding: 'utf-8',
    };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/**
 * Text files as people hand them over: UTF-8 (with or without a byte order mark), UTF-16 (what
 * Excel's "Unicode text" writes), or — when the bytes are not valid UTF-8 — Windows-1252, the
 * encoding a spreadsheet on a Western Windows saves a CSV in; that last guess is said in
 * `warning`. Binary content is refused, naming `what`.
 */
export function decodeText(bytes: Uint8Array, what: string): DecodedText {
  const mark = byteOrderMark(bytes);
  const encoding = mark?.encoding ?? unmarkedUtf16(bytes);
  let decoded: DecodedText;
  if (encoding) {
    decoded = { text: new TextDecoder(encoding).decode(bytes.subarray(mark?.length ?? 0)), encoding };
  } else {
    try {
      decoded = { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
    } catch {
      decoded = {
        text: new TextDecoder('windows-1252').decode(bytes),
        encoding: 'windows-1252',
        warning: `${what} is not UTF-8: read it as Windows-1252 (Western European); if names look wrong, export it again as UTF-8`,
      };
    }
  }
  if (!isText(decoded.text)) throw new TrackFormatError(`${what} is not a text file (it holds binary data)`, 'encoding');
  return decoded;
}

/** A JSON file of an export: decoded as decodeText does, parsed, or refused as damaged. */
export function readJson(input: Uint8Array | string, fileName: string): unknown {
  const text = typeof input === 'string' ? input : decodeText(input, fileName).text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TrackFormatError(`${fileName} is not valid JSON (${(error as Error).message}); the export may be damaged`);
  }
}
