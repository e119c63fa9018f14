/** `.wat` files are assembled at build time (scripts/build/wat.js); importing one yields the module bytes. */
declare module '*.wat' {
  const bytes: Uint8Array;
  export default bytes;
}
