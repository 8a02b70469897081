import type { Rule } from '../../types.js';
import { templateRules } from './templates.js';

export const rules: Rule[] = templateRules;
