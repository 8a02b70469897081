// Shared knowledge of distributions, packages, MPI and GPU drivers. Sits below src/generate and
// src/lint (both import it; it imports neither), so the generator and the linter cannot disagree.
export * from './distros.js';
export * from './packages.js';
export * from './drivers.js';
export * from './mpi.js';
export * from './hpcx.js';
