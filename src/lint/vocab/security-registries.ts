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
 * one path segment, `**` crosses them. Registry hosts need no more than that, and a regular
 * expression keeps this rule from loading a glob library on every start.
 */
export function hostPattern(pattern: string): (registry: string) => boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`);
  return (registry) => regex.test(registry);
}
