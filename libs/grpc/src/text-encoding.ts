import { configureTextEncoding, getTextEncoding } from '@bufbuild/protobuf/wire';

// protobuf-es converts every string field from and to UTF-8 with TextEncoder/TextDecoder: one
// call into the runtime per string. A report of a thousand rows carries tens of thousands of
// short strings (ids, decimal amounts, currency codes), and those calls were most of the time
// spent encoding it. Short ASCII strings (their UTF-8 bytes are their char codes) are converted
// in JavaScript; anything else still goes to TextEncoder/TextDecoder.

/** Up to this length the per-character loop beats a call into TextEncoder/TextDecoder. */
const SHORT_MAX = 64;
const INSTALLED = Symbol.for('@kontor/grpc/fast-text-encoding');

type TextEncoding = ReturnType<typeof getTextEncoding> & { [INSTALLED]?: true };

/** Makes protobuf-es use the short-ASCII fast path (once per process; idempotent). */
export function useFastTextEncoding(): void {
  const standard: TextEncoding = getTextEncoding();
  if (standard[INSTALLED]) return;
  const fast: TextEncoding = {
    [INSTALLED]: true,
    encodeUtf8: (text) => encodeShortAscii(text) ?? standard.encodeUtf8(text),
    decodeUtf8: (bytes, strict) => decodeShortAscii(bytes) ?? standard.decodeUtf8(bytes, strict),
    checkUtf8: (text) => standard.checkUtf8(text),
  };
  configureTextEncoding(fast);
}

/** The UTF-8 bytes of a short ASCII string; undefined for a long or non-ASCII one. */
export function encodeShortAscii(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length > SHORT_MAX) return undefined;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return undefined;
    bytes[i] = code;
  }

  return bytes;
}

/** The string of short ASCII bytes (always valid UTF-8); undefined for others. */
export function decodeShortAscii(bytes: Uint8Array): string | undefined {
  if (bytes.length > SHORT_MAX) return undefined;
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] > 0x7f) return undefined;
    text += String.fromCharCode(bytes[i]);
  }

  return text;
}
