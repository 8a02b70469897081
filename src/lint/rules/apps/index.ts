import type { Rule } from '../../types.js';
import { appRules } from './apps.js';

export const rules: Rule[] = appRules;
