// Every rule, by family. Each family folder holds one file per rule (or per small rule family)
// and an index.ts that lists them.
import type { Rule } from '../types.js';
import { rules as syntax } from './syntax/index.js';
import { rules as header } from './header/index.js';
import { rules as sections } from './sections/index.js';
import { rules as shell } from './shell/index.js';
import { rules as reproducibility } from './reproducibility/index.js';
import { rules as security } from './security/index.js';
import { rules as size } from './size/index.js';
import { rules as mpi } from './mpi/index.js';
import { rules as gpu } from './gpu/index.js';
import { rules as apps } from './apps/index.js';
import { rules as multistage } from './multistage/index.js';
import { rules as templating } from './templating/index.js';
import { rules as pragmas } from './pragmas/index.js';

export const allRules: Rule[] = [
  ...syntax,
  ...header,
  ...sections,
  ...shell,
  ...reproducibility,
  ...security,
  ...size,
  ...mpi,
  ...gpu,
  ...apps,
  ...multistage,
  ...templating,
  ...pragmas,
];
