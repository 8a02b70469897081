// %files destinations, artifacts and labels (guidance §3 rule 10).
import { BOUND_DIRS, under, type RecipeRule } from './rule.js';

/** Directories every supported base image has, so `%files from build` can copy into them. */
const KNOWN_PARENTS = new Set([
  '/',
  '/opt',
  '/usr',
  '/usr/local',
  '/usr/local/bin',
  '/usr/local/lib',
  '/usr/local/share',
  '/usr/bin',
  '/usr/lib',
  '/usr/share',
  '/etc',
  '/srv',
  '/var',
  '/var/lib',
]);

export const fileRules: RecipeRule[] = [
  {
    id: 'GEN401',
    summary: 'Host files go where Apptainer does not bind over them.',
    check({ recipe, plan, error, warn }) {
      (recipe.files ?? []).forEach((f, i) => {
        const bad = BOUND_DIRS.find((d) => under(f.dst, d));
        if (bad) {
          error(
            ['files', i, 'dst'],
            `files[${i}].dst ${f.dst} is under ${bad}, which Apptainer bind-mounts from the host during the build and at run time, so the file would be hidden; copy to /opt/... instead`,
          );
        }
        if (f.stage === 'final' && !plan.multistage) warn(['files', i, 'stage'], "stage 'final' has no effect in a single-stage build");
      });
    },
  },
  {
    id: 'GEN402',
    summary: 'Application artifacts can be copied into the runtime image.',
    check({ recipe, plan, error, warn }) {
      for (const [i, artifact] of plan.artifacts.entries()) {
        const path = recipe.app?.artifacts ? ['app', 'artifacts', i] : ['app', 'installPrefix'];
        const bad = BOUND_DIRS.find((d) => under(artifact, d));
        if (bad) error(path, `${artifact} is under ${bad}, which is bind-mounted from the host; install under /opt instead`);
        const parent = artifact.replace(/\/[^/]+\/?$/, '') || '/';
        if (plan.multistage && !KNOWN_PARENTS.has(parent) && !plan.artifacts.some((o) => o !== artifact && under(parent, o))) {
          warn(
            path,
            `the runtime image may not have ${parent}: %files from build needs the destination's parent directory to exist (copy a whole directory such as ${parent} instead)`,
          );
        }
      }
      if (recipe.app?.artifacts && !plan.app) warn(['app', 'artifacts'], 'app.artifacts without app.build: nothing builds them');
      if (!plan.app && !plan.pythonPrefix && recipe.app?.installPrefix)
        warn(['app', 'installPrefix'], 'app.installPrefix without app.build or python has no effect');
    },
  },
  {
    id: 'GEN403',
    summary: "org.apptainer-gen.* labels are the generator's own.",
    check({ recipe, error }) {
      for (const key of Object.keys(recipe.labels ?? {})) {
        if (key.startsWith('org.apptainer-gen.')) error(['labels', key], `label ${key} is reserved for apptainer-gen's provenance labels`, true);
      }
    },
  },
];
