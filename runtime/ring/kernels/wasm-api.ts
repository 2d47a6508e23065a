// The slice of the WebAssembly JS API the kernels use, typed locally: the project compiles
// with lib es2022 and no DOM types, which leaves the `WebAssembly` global undeclared. This
// module only re-exports the runtime's own global; it must never polyfill or wrap it.

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(deltaPages: number): number;
}

export interface WasmModule {
  readonly __brand?: "WebAssembly.Module";
}

export interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => {
    exports: Record<string, unknown>;
  };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The runtime's WebAssembly global, or undefined where there is none. */
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
