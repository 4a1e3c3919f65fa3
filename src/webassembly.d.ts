// Node has the WebAssembly global at run time; TypeScript declares it only in the DOM and WebWorker
// libs, which this project leaves out (they would let browser-only code type-check in Node).
declare namespace WebAssembly {
  // biome-ignore lint/suspicious/noEmptyInterface: an opaque handle, merged with other declarations of it
  interface Module {}
  function compile(bytes: ArrayBufferView<ArrayBuffer> | ArrayBuffer): Promise<Module>;
}
