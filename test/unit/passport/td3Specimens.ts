/**
 * Published TD3 specimens, as printed, and a builder for lines with correct check digits (for variants that
 * break exactly one thing). The builder uses the module's own 7-3-1 function, which checkDigit.test.ts pins
 * against the specimens below.
 */

import { computeCheckDigit } from '../../../nodes/PassportOcr/passport/checkDigit';

export interface Specimen {
	source: string;
	line1: string;
	line2: string;
}

export const UTOPIA: Specimen = {
	source: 'ICAO Doc 9303 Part 4, TD3 example (Utopia, ERIKSSON ANNA MARIA)',
	line1: 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
	line2: 'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
};

export const GERMANY_2007: Specimen = {
	source: 'German passport specimen (Bundesministerium des Innern, 2007 series)',
	line1: 'P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<',
	line2: 'C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0',
};

export const GERMANY_2017: Specimen = {
	source: 'German passport specimen (Bundesministerium des Innern, 2017 series)',
	line1: 'P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<',
	line2: 'C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4',
};

export const NETHERLANDS_2014: Specimen = {
	source: 'Dutch passport specimen (Rijksdienst voor Identiteitsgegevens, 2014 series)',
	line1: 'P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<',
	line2: 'SPECI20142NLD6503101F2403096999999990<<<<<84',
};

/** The G42 (ae-ad-1) edition's documented example answer: a stray space and masked digits. */
export const G42_EXAMPLE = {
	fields: {
		country_code: 'ETF',
		surname: 'HUZHAO',
		given_name: 'ZHAOMIN DESALEGN ',
		passport_number: 'EP435XXXX',
		date_of_birth: '1985-09-18',
		sex: 'M',
		date_of_expiry: '2022-01-15',
	},
	line1: 'P<ETFHUZHAO<< ZHAOMIN <DESALEGN<<<<<<<<<<<<<<<',
	line2: 'EP435XXXX7ETF8509185M2201155<<<<<<<<<<<<<<08',
	confidence: {
		country_code: 0.9727,
		surname: 0.9727,
		given_name: 0.9727,
		passport_number: 0.9558,
		date_of_birth: 0.9558,
		sex: 0.9558,
		date_of_expiry: 0.9558,
	},
};

export interface Td3Parts {
	documentCode: string;
	issuingState: string;
	/** MRZ form: `SURNAME<<GIVEN<NAMES`, padded or cut to 39 characters here. */
	name: string;
	number: string;
	nationality: string;
	birth: string;
	sex: string;
	expiry: string;
	optional: string;
}

export const UTOPIA_PARTS: Td3Parts = {
	documentCode: 'P<',
	issuingState: 'UTO',
	name: 'ERIKSSON<<ANNA<MARIA',
	number: 'L898902C3',
	nationality: 'UTO',
	birth: '740812',
	sex: 'F',
	expiry: '120415',
	optional: 'ZE184226B',
};

/** A fictional Dutch passport, valid until 2034 and no specimen: a clean read in the documented shapes. */
export const DUTCH_PARTS: Td3Parts = {
	...UTOPIA_PARTS,
	issuingState: 'NLD',
	nationality: 'NLD',
	name: 'DE<VRIES<<SANNE<MARIJE',
	number: 'NW7K42R19',
	birth: '880413',
	sex: 'F',
	expiry: '340911',
	optional: '',
};

/** What the service returns for it (reference 2.1b/2.1c): the 7 MRZ fields, `given_name` ending in a space. */
export const DUTCH_FOREIGN_FIELDS = {
	country_code: 'NLD',
	surname: 'DE VRIES',
	given_name: 'SANNE MARIJE ',
	passport_number: 'NW7K42R19',
	date_of_birth: '1988-04-13',
	sex: 'F',
	date_of_expiry: '2034-09-11',
};

const digit = (text: string) => String(computeCheckDigit(text));
const state = (code: string) => code.padEnd(3, '<');

/** Two 44-character lines with every check digit computed, whatever the fields hold. */
export function buildTd3(parts: Td3Parts): [string, string] {
	const line1 = (parts.documentCode + state(parts.issuingState) + parts.name)
		.padEnd(44, '<')
		.slice(0, 44);
	const number = parts.number.padEnd(9, '<');
	const optional = parts.optional.padEnd(14, '<');
	const numberPart = number + digit(number);
	const birthPart = parts.birth + digit(parts.birth);
	const expiryPart = parts.expiry + digit(parts.expiry);
	const optionalPart = optional + digit(optional);
	const composite = digit(numberPart + birthPart + expiryPart + optionalPart);
	const line2 = `${numberPart}${state(parts.nationality)}${birthPart}${parts.sex}${expiryPart}${optionalPart}${composite}`;
	return [line1, line2];
}

/** `line` with the character at 1-based `position` replaced. */
export function replaceAt(line: string, position: number, char: string): string {
	return line.slice(0, position - 1) + char + line.slice(position);
}
