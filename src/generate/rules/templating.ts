// {{ NAME }} placeholders and %arguments (guidance §3 rule 12).
import { eachString, type RecipeRule } from './rule.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const FIRST_PLACEHOLDER = /\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/;

export const templatingRules: RecipeRule[] = [
  {
    id: 'GEN501',
    summary: 'Every placeholder is defined and written so Apptainer substitutes it.',
    check({ recipe, error, warn }) {
      const defined = new Set(Object.keys(recipe.arguments ?? {}));
      eachString(recipe, [], (s, path) => {
        if (path[0] === 'arguments') return;
        for (const m of s.matchAll(PLACEHOLDER)) {
          if (!defined.has(m[1]))
            error(path, `{{ ${m[1]} }} is not defined in arguments; add it there (the build would fail with 'build var ${m[1]} is not defined')`);
        }
        if (s.replace(PLACEHOLDER, '').includes('{{')) {
          error(path, "'{{' that is not a {{ NAME }} placeholder: Apptainer reserves it for templating (write it differently, e.g. '{ {')");
        }
        const first = s.search(FIRST_PLACEHOLDER);
        if (first >= 0 && /#[^!]/.test(s.slice(0, first).split('\n').pop() ?? ''))
          warn(path, "a placeholder after '#' on the same line is not substituted by Apptainer");
      });
    },
  },
  {
    id: 'GEN502',
    summary: 'Arguments are used, and templating is supported by the target runtime.',
    check({ recipe, warn }) {
      const defined = Object.keys(recipe.arguments ?? {});
      if (defined.length && recipe.target?.runtime === 'singularityce') {
        warn(['arguments'], 'SingularityCE does not support %arguments templating ({{ NAME }}); this definition needs Apptainer >= 1.2');
      }
      const used = new Set<string>();
      eachString(recipe, [], (s, path) => {
        if (path[0] === 'arguments') return;
        for (const m of s.matchAll(PLACEHOLDER)) used.add(m[1]);
      });
      for (const name of defined) if (!used.has(name)) warn(['arguments', name], `argument ${name} is never used as {{ ${name} }}`, true);
    },
  },
];
