import type { Rule } from '../../types.js';
import { fileRules } from './file.js';
import { headerRules } from './header.js';
import { sectionRules } from './sections.js';

export const rules: Rule[] = [...fileRules, ...headerRules, ...sectionRules].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
