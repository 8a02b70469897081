import type { Rule } from '../../types.js';
import { environmentRules } from './environment.js';
import { filesLabelsRules } from './files-labels.js';
import { presenceRules } from './presence.js';
import { scriptRules } from './scripts.js';

export const rules: Rule[] = [...filesLabelsRules, ...environmentRules, ...scriptRules, ...presenceRules].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
