import type { Rule } from '../../types.js';
import { unusedIgnorePragma } from './unused-ignore-pragma.js';
import { ignorePragmaUsed } from './ignore-pragma-used.js';
import { invalidPragma } from './invalid-pragma.js';

export const rules: Rule[] = [unusedIgnorePragma, ignorePragmaUsed, invalidPragma];
