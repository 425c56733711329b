import {
	nationalityCode,
	readPrintedFields,
	realDate,
	validSex,
} from '../../../nodes/PassportOcr/passport/printedFields';

describe('readPrintedFields', () => {
	it('trims, upper-cases codes and parses dates', () => {
		expect(
			readPrintedFields({
				passport_number: ' ep 435 1234 ',
				surname: ' Huzhao ',
				given_name: 'ZHAOMIN DESALEGN ',
				sex: 'm',
				country_code: 'eth',
				nationality: 'Ethiopian',
				date_of_birth: '1985-09-18',
				date_of_expiry: '2019-02-31',
			}),
		).toEqual({
			passportNumber: 'EP4351234',
			surname: 'Huzhao',
			givenName: 'ZHAOMIN DESALEGN',
			sex: 'M',
			countryCode: 'ETH',
			nationality: 'ETHIOPIAN',
			dateOfBirth: {
				text: '1985-09-18',
				reading: { ok: true, date: { year: 1985, month: 9, day: 18 } },
				partial: null,
			},
			dateOfExpiry: {
				text: '2019-02-31',
				reading: { ok: false, reason: 'calendar' },
				partial: null,
			},
			dateOfIssue: null,
		});
	});

	it('treats blank, null and non-string values as missing', () => {
		const fields = { surname: '   ', given_name: null, sex: 7 } as unknown as Parameters<
			typeof readPrintedFields
		>[0];
		expect(readPrintedFields(fields)).toMatchObject({ surname: null, givenName: null, sex: null });
	});
});

describe('realDate', () => {
	it('gives the date only when the field holds a real one', () => {
		const { dateOfBirth, dateOfExpiry, dateOfIssue } = readPrintedFields({
			date_of_birth: '1985-09-18',
			date_of_expiry: '1985-9-18',
		});
		expect(realDate(dateOfBirth)).toEqual({ year: 1985, month: 9, day: 18 });
		expect(realDate(dateOfExpiry)).toBeNull();
		expect(realDate(dateOfIssue)).toBeNull();
	});
});

describe('a partly unknown date of birth', () => {
	it('reads YYYY-MM and YYYY for the date of birth only', () => {
		const { dateOfBirth, dateOfExpiry } = readPrintedFields({
			date_of_birth: '1985-03',
			date_of_expiry: '2030-03',
		});
		expect(dateOfBirth?.partial).toEqual({ year: 1985, month: 3 });
		expect(dateOfExpiry?.partial).toBeNull();
		expect(readPrintedFields({ date_of_birth: '1985' }).dateOfBirth?.partial).toEqual({
			year: 1985,
			month: null,
		});
		expect(readPrintedFields({ date_of_birth: '1985-13' }).dateOfBirth?.partial).toBeNull();
	});
});

describe('validSex', () => {
	it.each([
		['M', 'M'],
		['F', 'F'],
		['X', 'X'],
		['MALE', null],
		['<', null],
		[null, null],
	])('%j → %j', (sex, expected) => {
		expect(validSex(sex)).toBe(expected);
	});
});

describe('nationalityCode', () => {
	it.each([
		['ETH', 'ETH'],
		['D', 'D'],
		['ETF', 'ETF'],
		['E1H', 'E1H'],
		['ETHIOPIAN', null],
		['NEW ZEALANDER', null],
		[null, null],
	])('%j → %j (a code is kept, words are not a code)', (nationality, expected) => {
		expect(nationalityCode(nationality)).toBe(expected);
	});
});
