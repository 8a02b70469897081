// Shared by the security rules (DEF509, DEF510: where the base image comes from and whether it is verified).

/** The registry host an image is pulled from, as a person would write it in a trust list. */
export function registryOf(agent: string, registry: string | undefined, libraryUrl: string | undefined): string {
  if (registry) return registry.toLowerCase();
  if (agent === 'library') return (libraryUrl ? libraryUrl.replace(/^\w+:\/\//, '').replace(/\/.*$/, '') : 'cloud.sylabs.io').toLowerCase();
  if (agent === 'shub') return 'singularity-hub.org';
  return 'docker.io';
}

/**
 * A registry pattern (`docker.io`, `*.example.org`, `ghcr.io/org/*`) as a matcher: `*` stays within
 * one path segment, `**` crosses them, `?` is one character. Matched by stepping a set of pattern
 * positions through the text (work <= pattern length x text length), never by a backtracking
 * regular expression: a pattern from a repository config like `**a**a**a**...b` must not take
 * minutes. Registry hosts need no more, and this keeps the rule from loading a glob library.
 */
export function hostPattern(pattern: string): (registry: string) => boolean {
  type Token = 'star' | 'globstar' | 'one' | { literal: string };
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '*' && pattern[i + 1] === '*') {
      while (pattern[i + 1] === '*') i++;
      if (tokens[tokens.length - 1] !== 'globstar') tokens.push('globstar');
    } else if (pattern[i] === '*') tokens.push('star');
    else if (pattern[i] === '?') tokens.push('one');
    else tokens.push({ literal: pattern[i] });
  }
  /** Adds `at` and every position reachable by letting stars match nothing. */
  const close = (states: Uint8Array, at: number) => {
    for (let k = at; k <= tokens.length && !states[k]; k++) {
      states[k] = 1;
      if (k === tokens.length || (tokens[k] !== 'star' && tokens[k] !== 'globstar')) break;
    }
  };
  return (registry) => {
    let current = new Uint8Array(tokens.length + 1);
    close(current, 0);
    for (const ch of registry) {
      const next = new Uint8Array(tokens.length + 1);
      for (let k = 0; k < tokens.length; k++) {
        if (!current[k]) continue;
        const token = tokens[k];
        if (token === 'globstar' || (token === 'star' && ch !== '/')) close(next, k);
        else if (token === 'one' ? ch !== '/' : token !== 'star' && token.literal === ch) close(next, k + 1);
      }
      current = next;
    }
    return current[tokens.length] === 1;
  };
}
