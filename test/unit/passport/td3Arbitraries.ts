/** fast-check generators of TD3 field values, shared by the differential and property tests. */

import fc from 'fast-check';

import type { Td3Parts } from './td3Specimens';

export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
export const DIGITS = '0123456789'.split('');
export const MRZ_CHARACTERS = [...LETTERS, ...DIGITS, '<'];

/** The day the generated passports are checked on; the date ranges below are chosen around it. */
export const TODAY = { year: 2025, month: 6, day: 1 };

const text = (characters: string[], minLength: number, maxLength: number) =>
	fc.string({ unit: fc.constantFrom(...characters), minLength, maxLength });

const word = text(LETTERS, 1, 10);
const words = (min: number, max: number) =>
	fc.array(word, { minLength: min, maxLength: max }).map((parts) => parts.join('<'));

/** A real date between two years, as YYMMDD. */
const yymmdd = (fromYear: number, toYear: number) =>
	fc
		.date({
			min: new Date(Date.UTC(fromYear, 0, 1)),
			max: new Date(Date.UTC(toYear, 11, 31)),
			noInvalidDate: true,
		})
		.map((date) => date.toISOString().slice(2, 10).replace(/-/g, ''));

/**
 * Valid TD3 fields. Surnames stay short enough that `<<` always fits in line 1; birth years stay in the
 * century the birth rule picks on TODAY, expiry years in the one the expiry rule picks.
 */
export function td3Parts(countryCodes: readonly string[]): fc.Arbitrary<Td3Parts> {
	return fc.record({
		documentCode: fc.constantFrom('P<', 'PD', 'PO', 'PS', 'PM'),
		issuingState: fc.constantFrom(...countryCodes),
		name: fc
			.tuple(
				words(1, 3).filter((surname) => surname.length <= 30),
				words(0, 4),
			)
			.map(([surname, given]) => `${surname}<<${given}`),
		number: text([...LETTERS, ...DIGITS], 1, 9),
		nationality: fc.constantFrom(...countryCodes),
		birth: yymmdd(1930, 2024),
		sex: fc.constantFrom('M', 'F', '<'),
		expiry: yymmdd(2000, 2034),
		optional: text([...LETTERS, ...DIGITS], 0, 14),
	});
}

export interface Substitution {
	line: 1 | 2;
	/** 1-based. */
	position: number;
	char: string;
}

export const substitution: fc.Arbitrary<Substitution> = fc.record({
	line: fc.constantFrom(1 as const, 2 as const),
	position: fc.integer({ min: 1, max: 44 }),
	char: fc.constantFrom(...MRZ_CHARACTERS),
});
