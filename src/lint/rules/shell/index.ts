// Shell inside scriptlets (DEF3xx). DEF300 stands for the ShellCheck pass the engine runs itself.
import type { Rule } from '../../types.js';
import { aptGetWithoutYes, aptInteractiveFrontend, aptRecommends, useAptGet } from './apt.js';
import { bashismInSh } from './bashism-in-sh.js';
import { hostEnvAssumed, serviceCommandInBuild, sudoInBuild } from './build-environment.js';
import { envPrefixPortability } from './env-prefix-portability.js';
import { errexitLostWithCustomShell, nounset, redundantErrexit } from './errexit.js';
import { pipeMasksFailure } from './pipe-masks-failure.js';
import { pkgManagerNoninteractive } from './pkg-manager-noninteractive.js';
import { rmHostTmp } from './rm-host-tmp.js';
import { shellcheck } from './shellcheck.js';

export const rules: Rule[] = [
  shellcheck,
  bashismInSh,
  errexitLostWithCustomShell,
  redundantErrexit,
  pipeMasksFailure,
  aptGetWithoutYes,
  aptRecommends,
  aptInteractiveFrontend,
  useAptGet,
  pkgManagerNoninteractive,
  sudoInBuild,
  serviceCommandInBuild,
  rmHostTmp,
  hostEnvAssumed,
  envPrefixPortability,
  nounset,
];
