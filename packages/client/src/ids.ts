/** A client id for idempotent sends: random, URL-safe, unique enough to never collide in practice. */
export function newClientId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += byte.toString(16).padStart(2, '0');
  return `c_${id}`;
}
