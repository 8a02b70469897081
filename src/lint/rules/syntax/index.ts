import type { Rule } from '../../types.js';
import { fileRules } from './file.js';
import { headerRules } from './header.js';
import { sectionRules } from './sections.js';
import { analysisLimit } from './analysis-limit.js';

export const rules: Rule[] = [...fileRules, ...headerRules, ...sectionRules, analysisLimit].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
