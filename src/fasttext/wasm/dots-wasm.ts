/**
 * @module
 * The SIMD dot-product kernel of the batched search, compiled from `dots.wat` beside this file
 * (wat2wasm 1.0.32) and embedded as base64 so that nothing is loaded at run time.
 * `scores(rows, nr, d, qs, nq, out)`: out[r * nq + q] = dot(row r, query q), byte offsets,
 * d a multiple of 4.
 */

const WASM_BASE64 =
  'AGFzbQEAAAABDwJgAXsBfWAGf39/f39/AAMDAgABBQMBAAEHEwIGbWVtb3J5AgAGc2NvcmVzAAEKqgQCGQAgAP0fACAA/R8BkiAA/R8CIAD9HwOSkguNBAIKfwV7IAJBAnQhCUEAIQcCQANAIAdBBGogBEsNASADIAcgCWxqIQsgCyAJaiEMIAwgCWohDSANIAlqIQ5BACEGAkADQCAGIAFPDQEgACAGIAlsaiEK/QwAAAAAAAAAAAAAAAAAAAAAIRD9DAAAAAAAAAAAAAAAAAAAAAAhEf0MAAAAAAAAAAAAAAAAAAAAACES/QwAAAAAAAAAAAAAAAAAAAAAIRNBACEIAkADQCAIIAlPDQEgCiAIav0ABAAhFCAQIBQgCyAIav0ABAD95gH95AEhECARIBQgDCAIav0ABAD95gH95AEhESASIBQgDSAIav0ABAD95gH95AEhEiATIBQgDiAIav0ABAD95gH95AEhEyAIQRBqIQgMAAsLIAUgBiAEbCAHakECdGohDyAPIBAQADgCACAPIBEQADgCBCAPIBIQADgCCCAPIBMQADgCDCAGQQFqIQYMAAsLIAdBBGohBwwACwsCQANAIAcgBE8NASADIAcgCWxqIQtBACEGAkADQCAGIAFPDQEgACAGIAlsaiEK/QwAAAAAAAAAAAAAAAAAAAAAIRBBACEIAkADQCAIIAlPDQEgECAKIAhq/QAEACALIAhq/QAEAP3mAf3kASEQIAhBEGohCAwACwsgBSAGIARsIAdqQQJ0aiAQEAA4AgAgBkEBaiEGDAALCyAHQQFqIQcMAAsLCw==';

/** The part of `WebAssembly.Memory` used here (the ES2022 lib this project targets has no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The kernel's exports. */
export interface DotsKernel {
  memory: WasmMemory;
  scores(rows: number, nr: number, d: number, qs: number, nq: number, out: number): void;
}

let kernel: DotsKernel | null | undefined;

/** The compiled kernel (one instance per process), or null where WebAssembly SIMD is missing. */
export function dotsKernel(): DotsKernel | null {
  if (kernel === undefined) {
    try {
      const wa = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
      const mod = new wa.Module(fromBase64(WASM_BASE64));
      kernel = new wa.Instance(mod, {}).exports as DotsKernel;
    } catch {
      kernel = null;
    }
  }
  return kernel;
}

/** Base64 to bytes with `atob`, which browsers and Node both have (`Buffer` is Node only). */
function fromBase64(s: string): Uint8Array {
  const bin = (globalThis as unknown as { atob(s: string): string }).atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
