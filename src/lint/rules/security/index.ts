// Security (DEF5xx).
import type { Rule } from '../../types.js';
import { credentialsInPasswd, nonSystemOwner, worldWritable } from './accounts.js';
import { curlPipeShell, downloadWithoutChecksum, tlsVerificationDisabled } from './downloads.js';
import { sifBaseUnverified, untrustedRegistry } from './registries.js';
import { secretLiteral, secretViaTemplate } from './secrets.js';

export const rules: Rule[] = [
  secretLiteral,
  secretViaTemplate,
  curlPipeShell,
  downloadWithoutChecksum,
  tlsVerificationDisabled,
  worldWritable,
  nonSystemOwner,
  credentialsInPasswd,
  untrustedRegistry,
  sifBaseUnverified,
];
