// Stable codes of the problems the parser itself reports. They are DEF0xx lint ids too: the
// syntax rules in src/lint/rules/syntax surface them with the rest of the findings.
export const ParseCode = {
  unknownSection: 'DEF001',
  headerLineWithoutColon: 'DEF003',
  unknownHeaderKeyword: 'DEF004',
  emptyDefinition: 'DEF006',
  tabInSectionHeader: 'DEF010',
  byteOrderMark: 'DEF014',
  headerContinuationCrash: 'DEF015',
  filesLoneQuoteCrash: 'DEF016',
  appSectionWithoutName: 'DEF017',
  firstSectionEmpty: 'DEF018',
  tokenTooLong: 'DEF019',
  invalidUtf8: 'DEF020',
} as const;

export type ParseCodeValue = (typeof ParseCode)[keyof typeof ParseCode];
