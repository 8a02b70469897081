// Canonical spellings of header keys, as Apptainer's documentation writes them. Keys are
// case-insensitive to Apptainer (it lowercases them), so changing the case never changes meaning.

/** Lowercased key → canonical spelling. `otherurl<N>` is handled by `canonicalHeaderKey`. */
export const CANONICAL_HEADER_KEYS: Readonly<Record<string, string>> = {
  bootstrap: 'Bootstrap',
  from: 'From',
  stage: 'Stage',
  includecmd: 'IncludeCmd',
  mirrorurl: 'MirrorURL',
  updateurl: 'UpdateURL',
  osversion: 'OSVersion',
  include: 'Include',
  library: 'Library',
  registry: 'Registry',
  namespace: 'Namespace',
  fingerprints: 'Fingerprints',
  product: 'Product',
  user: 'User',
  regcode: 'Regcode',
  productpgp: 'ProductPGP',
  registerurl: 'RegisterURL',
  modules: 'Modules',
  confurl: 'ConfURL',
  setopt: 'Setopt',
  target: 'Target',
  frontend: 'Frontend',
  filename: 'Filename',
  buildargs: 'Buildargs',
};

/** The canonical spelling of a header key, or undefined when Apptainer does not accept the key. */
export function canonicalHeaderKey(key: string): string | undefined {
  const lower = key.toLowerCase();
  const known = CANONICAL_HEADER_KEYS[lower];
  if (known) return known;
  const numbered = /^otherurl(\d+)$/.exec(lower);
  return numbered ? `OtherURL${numbered[1]}` : undefined;
}
