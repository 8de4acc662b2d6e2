// The WHATWG text codecs exist in browsers and in Node alike, but live in neither "ES" lib nor
// an environment-neutral package; declare just what protocol/ uses so this layer stays free of
// DOM and Node types. Only protocol/tsconfig.json includes this file.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
