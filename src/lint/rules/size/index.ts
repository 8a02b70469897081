// Size & hygiene (DEF6xx).
import type { Rule } from '../../types.js';
import { broadFilesCopy, noisyDownloads, sourcesLeftBehind, toolchainInFinalImage } from './image-contents.js';
import { installIntoBoundDir, installIntoHome } from './install-locations.js';
import { aptListsNotRemoved, pipCache, pkgCacheNotCleaned } from './package-caches.js';

export const rules: Rule[] = [
  aptListsNotRemoved,
  pkgCacheNotCleaned,
  pipCache,
  installIntoHome,
  installIntoBoundDir,
  toolchainInFinalImage,
  sourcesLeftBehind,
  noisyDownloads,
  broadFilesCopy,
];
