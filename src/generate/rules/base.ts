// Base image and bootstrap agent (guidance §3 rule 11).
import type { RecipeRule } from './rule.js';

const REGISTRY_AGENTS = ['docker', 'oras', 'localimage', 'library'];
const OS_AGENTS = ['debootstrap', 'dnf', 'yum', 'zypper'];

export const baseRules: RecipeRule[] = [
  {
    id: 'GEN101',
    summary: 'The bootstrap agent has what it needs (image, osVersion, mirrorUrl).',
    check({ recipe, plan, error }) {
      const b = plan.bootstrap;
      if (REGISTRY_AGENTS.includes(b) && !plan.image) error(recipe.base ? ['base'] : [], `base.image is required with bootstrap '${b}' (e.g. ubuntu:22.04)`);
      if (b === 'debootstrap' && (!plan.osVersion || !plan.mirrorUrl)) {
        error(['base'], "bootstrap 'debootstrap' needs base.osVersion (e.g. bookworm) and base.mirrorUrl (e.g. http://deb.debian.org/debian)");
      }
      if ((b === 'dnf' || b === 'yum') && !plan.mirrorUrl) error(['base'], `bootstrap '${b}' needs base.mirrorUrl`);
      if ((b === 'dnf' || b === 'yum') && /%\{OSVERSION\}/i.test(plan.mirrorUrl ?? '') && !plan.osVersion) {
        error(['base', 'mirrorUrl'], 'base.mirrorUrl uses %{OSVERSION} but base.osVersion is not set');
      }
    },
  },
  {
    id: 'GEN102',
    summary: 'base.image has no URI scheme.',
    check({ plan, error }) {
      if (plan.image && /^[a-z]+:\/\//.test(plan.image))
        error(['base', 'image'], `give base.image without a scheme: Apptainer adds '${plan.bootstrap}://' itself`);
    },
  },
  {
    id: 'GEN103',
    summary: 'Images are not used with OS bootstrap agents.',
    check({ recipe, plan, error, warn }) {
      const b = plan.bootstrap;
      if (!OS_AGENTS.includes(b)) return;
      if (recipe.base?.image) warn(['base', 'image'], `base.image is ignored with bootstrap '${b}'`);
      if (recipe.stages?.runtime?.image) {
        error(
          ['stages', 'runtime', 'image'],
          `stages.runtime.image cannot be used with bootstrap '${b}': the runtime stage is bootstrapped the same way as the build stage`,
        );
      }
    },
  },
  {
    id: 'GEN104',
    summary: "A program to exec does not start with '-'.",
    check({ recipe, error }) {
      const argvs: [string[] | undefined, (string | number)[]][] = [
        [typeof recipe.runscript === 'object' ? recipe.runscript.exec : undefined, ['runscript', 'exec', 0]],
        [recipe.jobScript?.command, ['jobScript', 'command', 0]],
      ];
      for (const [argv, path] of argvs) {
        if (argv?.[0]?.startsWith('-')) error(path, `the program '${argv[0]}' starts with '-': exec and apptainer would read it as an option`);
      }
    },
  },
];
