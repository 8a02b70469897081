// Reproducibility (DEF4xx): base-image pinning and build-date-dependent installs.
import type { Rule } from '../../types.js';
import { fromLatest, fromNoDigest, fromUntagged, templatedBaseUnverifiable } from './from-pinning.js';
import { distroUpgrade, langPackagesUnpinned, osPackagesUnpinned } from './packages.js';
import { sourceFetchUnpinned } from './source-fetch-unpinned.js';

export const rules: Rule[] = [
  fromUntagged,
  fromLatest,
  fromNoDigest,
  osPackagesUnpinned,
  langPackagesUnpinned,
  sourceFetchUnpinned,
  distroUpgrade,
  templatedBaseUnverifiable,
];
