// The recipe's own %test (guidance §3 rule 15): what a build host can check.
import type { PathSegment } from '../load.js';
import type { RecipeRule } from './rule.js';

const MULTI_RANK = /\b(mpirun|mpiexec|srun|prun)\b[^\n]*?\s(-n|-np|--np|-N|--ntasks|-c)[\s=]*([2-9]|[1-9][0-9]+|\$)/;

export const testRules: RecipeRule[] = [
  {
    id: 'GEN701',
    summary: '%test stays single-process and GPU-free.',
    check({ recipe, warn }) {
      const tests: [string | undefined, PathSegment[]][] = [
        [recipe.test, ['test']],
        ...Object.entries(recipe.apps ?? {}).map(([n, a]): [string | undefined, PathSegment[]] => [a.test, ['apps', n, 'test']]),
      ];
      for (const [script, path] of tests) {
        if (script && MULTI_RANK.test(script)) {
          warn(path, '%test runs at the end of the build with no fabric, PMI or scheduler: keep it to single-process checks (e.g. mpirun -n 1, --version)');
        }
        if (script && /\b(nvidia-smi|rocm-smi)\b/.test(script))
          warn(path, '%test runs on the build host, which usually has no GPU: move GPU checks to the job script');
      }
    },
  },
];
