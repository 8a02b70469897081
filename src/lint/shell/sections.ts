// Which section runs when and where. Rules use these to decide whether advice applies.
import type { Section } from '../../parse/model.js';

/** Sections that run while the image is built, inside the container (`%post`, `%appinstall`). */
export function isBuildSection(section: Section): boolean {
  return section.name === 'post' || section.name === 'appinstall';
}

/** Sections that run on the build host, outside the container (`%setup`, `%pre`). */
export function isHostSection(section: Section): boolean {
  return section.name === 'setup' || section.name === 'pre';
}

/** Test sections: run at the end of the build (unless `--notest`) and by `apptainer test`. */
export function isTestSection(section: Section): boolean {
  return section.name === 'test' || section.name === 'apptest';
}

/** Sections whose commands run during `apptainer build` (host and container side, tests included). */
export function runsAtBuild(section: Section): boolean {
  return isBuildSection(section) || isHostSection(section) || isTestSection(section);
}

/** Run-time entry points: `%runscript`, `%startscript`, `%apprun`, `%appstart`. */
export function isRunSection(section: Section): boolean {
  return ['runscript', 'startscript', 'apprun', 'appstart'].includes(section.name);
}

/** `%environment` / `%appenv`: sourced at run time by Apptainer's embedded shell interpreter. */
export function isEnvironmentSection(section: Section): boolean {
  return section.name === 'environment' || section.name === 'appenv';
}
