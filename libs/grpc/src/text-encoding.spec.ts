import fc from 'fast-check';
import { getTextEncoding } from '@bufbuild/protobuf/wire';
import { decodeShortAscii, encodeShortAscii, useFastTextEncoding } from './text-encoding';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe('protobuf text encoding with the short-ASCII fast path', () => {
  beforeAll(() => useFastTextEncoding());

  it('encodes any string to the same bytes as TextEncoder', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ maxLength: 200 })),
        (text) => {
          expect(getTextEncoding().encodeUtf8(text)).toEqual(encoder.encode(text));
        },
      ),
    );
  });

  it('decodes any UTF-8 to the same string as TextDecoder, strict or not', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const bytes = encoder.encode(text);
        expect(getTextEncoding().decodeUtf8(bytes, true)).toBe(decoder.decode(bytes));
        expect(getTextEncoding().decodeUtf8(bytes, false)).toBe(decoder.decode(bytes));
      }),
    );
  });

  it('still rejects invalid UTF-8 when strict', () => {
    expect(() => getTextEncoding().decodeUtf8(new Uint8Array([0x61, 0xff]), true)).toThrow();
  });

  it('takes the fast path only for short ASCII', () => {
    expect(encodeShortAscii('1234.50')).toEqual(encoder.encode('1234.50'));
    expect(encodeShortAscii('Müller')).toBeUndefined();
    expect(encodeShortAscii('x'.repeat(65))).toBeUndefined();
    expect(decodeShortAscii(encoder.encode('EUR'))).toBe('EUR');
    expect(decodeShortAscii(encoder.encode('€'))).toBeUndefined();
  });

  it('installs once however often it is called', () => {
    const installed = getTextEncoding();
    useFastTextEncoding();
    expect(getTextEncoding()).toBe(installed);
  });
});
