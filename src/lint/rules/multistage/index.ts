import type { Rule } from '../../types.js';
import { stageRules } from './stages.js';

export const rules: Rule[] = stageRules;
