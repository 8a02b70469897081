// `sources:`: entries that match what the recipe builds, and downloads that can be trusted.
import { selectBlocks } from '../blocks/index.js';
import type { SourceComponent } from '../types.js';
import type { RecipeRule } from './rule.js';

export const sourceRules: RecipeRule[] = [
  {
    id: 'GEN801',
    summary: 'A `sources.<name>` entry names a component the recipe builds from a tarball.',
    check({ recipe, plan, warn }) {
      const entries = Object.keys(recipe.sources ?? {}).filter((k) => k !== 'mirror') as SourceComponent[];
      if (entries.length === 0) return;
      const fetched = new Set(selectBlocks(plan).flatMap((b) => b.sources.map((s) => s.name)));
      for (const name of entries) {
        if (!fetched.has(name)) warn(['sources', name], `sources.${name}: this recipe does not build ${name} from a tarball, so the entry has no effect`, true);
      }
    },
  },
  {
    id: 'GEN802',
    summary: 'A plain-http download without a SHA-256 can be altered in transit.',
    check({ recipe, plan, warn }) {
      const sources = recipe.sources ?? {};
      const unverified = selectBlocks(plan)
        .flatMap((b) => b.sources)
        .filter((s) => s.fetch.kind === 'url' && s.fetch.url.startsWith('http://') && !s.sha256);
      for (const s of unverified) {
        const path = sources[s.name as SourceComponent]?.url?.startsWith('http://') ? ['sources', s.name, 'url'] : ['sources', 'mirror'];
        warn(path, `${s.file} is downloaded over plain http:// without a checksum: give sources.${s.name}.sha256 so the build verifies it`);
      }
    },
  },
];
