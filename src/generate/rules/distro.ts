// Distribution and release (guidance §3 rule 14): package names come from the facts table of one release.
import type { RecipeRule } from './rule.js';

export const distroRules: RecipeRule[] = [
  {
    id: 'GEN601',
    summary: 'The distribution is known wherever packages are installed.',
    check({ recipe, plan, error }) {
      const installs =
        plan.model !== 'none' || plan.gpu !== 'none' || !!plan.app || !!plan.pythonPrefix || !!recipe.packages || !!recipe.stages?.runtime?.packages;
      if (!plan.family && installs) {
        error(
          recipe.base?.image ? ['base', 'image'] : ['base'],
          `cannot tell the distribution of '${plan.image ?? plan.bootstrap}' to pick package names; set base.distro (debian, ubuntu, el8, el9, el10, fedora, opensuse)`,
        );
      }
    },
  },
  {
    id: 'GEN602',
    summary: 'Raw package lists for another family are ignored.',
    check({ recipe, plan, warn }) {
      if (!plan.family) return;
      for (const family of ['apt', 'dnf', 'zypper'] as const) {
        if (family !== plan.family && recipe.packages?.[family]?.length)
          warn(['packages', family], `packages.${family} is ignored: the base is a ${plan.family} distribution`);
      }
    },
  },
  {
    id: 'GEN603',
    summary: 'Debian and Ubuntu releases are named, because package names differ between them.',
    check({ recipe, plan, warn }) {
      if (plan.family !== 'apt' || plan.releaseKnown || !plan.release) return;
      const installs = plan.model !== 'none' || plan.gpu !== 'none' || !!plan.app || !!plan.pythonPrefix || !!recipe.packages;
      if (!installs || (plan.image && plan.image.includes('{{'))) return;
      const where = plan.bootstrap === 'debootstrap' ? ['base', 'osVersion'] : ['base', 'image'];
      warn(
        where,
        `cannot tell the ${plan.distro} release of '${plan.image ?? plan.osVersion}': package names are those of ${plan.distro} ${plan.release.id} (name the release in the tag, e.g. ${plan.distro === 'debian' ? 'debian:bookworm' : 'ubuntu:24.04'})`,
      );
    },
  },
];
