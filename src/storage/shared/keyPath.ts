/** Key segments joined with `/`, their own leading and trailing slashes dropped and empty ones left out. */
export function joinKeyPath(...parts: string[]): string {
  return parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '')
    .join('/');
}
