// The demographic categories an organization may supply for its candidates (self-reported through
// its ATS, optional), as the EEOC's forms and NYC Local Law 144 bias audits use them. They exist
// only for the outcomes export's impact ratios: they live in their own table
// (candidate_demographics), which nothing that builds a prompt or runs an evaluation reads, so a
// candidate's sex or race can never reach the model or the score.

export const SEX_CATEGORIES = ['male', 'female', 'declined'] as const;
export type Sex = (typeof SEX_CATEGORIES)[number];

export const RACE_ETHNICITY_CATEGORIES = [
  'hispanic_or_latino',
  'white',
  'black_or_african_american',
  'native_hawaiian_or_pacific_islander',
  'asian',
  'native_american_or_alaska_native',
  'two_or_more_races',
  'declined',
] as const;
export type RaceEthnicity = (typeof RACE_ETHNICITY_CATEGORIES)[number];

/** What reports show when the organization supplied nothing (as opposed to "declined"). */
export const UNKNOWN = 'unknown' as const;
