// MPI rules (DEF70x). The job-script check (DEF707/DEF708) lives in src/lint/jobscript.ts.
import type { Rule } from '../../types.js';
import { mpiWithoutPmi } from './mpi-without-pmi.js';
import { mpiFromDistro } from './mpi-from-distro.js';
import { mpiVersionUnpinned } from './mpi-version-unpinned.js';
import { mpirunInsideContainer } from './mpirun-inside-container.js';
import { mpiNoFastInterconnect } from './mpi-no-fast-interconnect.js';
import { mpiAbiSiteProfile } from './mpi-abi-site-profile.js';

export const rules: Rule[] = [mpiWithoutPmi, mpiFromDistro, mpiVersionUnpinned, mpirunInsideContainer, mpiNoFastInterconnect, mpiAbiSiteProfile];
