import type { Rule } from '../../types.js';
import { bootstrapRules } from './bootstrap.js';

export const rules: Rule[] = bootstrapRules;
