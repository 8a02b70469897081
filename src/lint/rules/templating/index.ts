import type { Rule } from '../../types.js';
import { templateRules } from './templates.js';
import { argumentShellInjection } from './argument-shell-injection.js';

export const rules: Rule[] = [...templateRules, argumentShellInjection];
