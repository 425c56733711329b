import {
	readCountryCode,
	readDate,
	readDocumentCode,
	readName,
	readOptionalData,
	readPassportNumber,
	readSex,
	stripTrailingFillers,
} from '../../../nodes/PassportOcr/passport/td3FieldReaders';

const TODAY = { year: 2025, month: 6, day: 1 };

describe('readDocumentCode', () => {
	it.each([
		['P<', 'P'],
		['PD', 'PD'],
		['PO', 'PO'],
	])('accepts %s as %s', (raw, value) => {
		expect(readDocumentCode(raw)).toEqual({ value, valid: true });
	});

	it('rejects a code that does not start with P', () => {
		expect(readDocumentCode('I<')).toEqual({
			value: 'I',
			valid: false,
			problem: 'MRZ document code I< does not start with P, so it is not a passport MRZ',
		});
	});
});

describe('readCountryCode', () => {
	it('strips fillers: Germany is D<<', () => {
		expect(readCountryCode('D<<', 'issuing state')).toEqual({ value: 'D', valid: true });
	});

	it('accepts the specimen code UTO', () => {
		expect(readCountryCode('UTO', 'nationality')).toEqual({ value: 'UTO', valid: true });
	});

	it('names the field and code it rejects', () => {
		expect(readCountryCode('ETF', 'nationality')).toEqual({
			value: 'ETF',
			valid: false,
			problem: 'MRZ nationality ETF is not an ICAO 9303 country code',
		});
		expect(readCountryCode('<<<', 'issuing state').problem).toBe(
			'MRZ issuing state <<< is not an ICAO 9303 country code',
		);
	});
});

describe('readName', () => {
	it('splits at << and turns < into spaces', () => {
		expect(readName('ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<')).toEqual({
			surname: { value: 'ERIKSSON', valid: true },
			given_names: { value: 'ANNA MARIA', valid: true },
			name_may_be_truncated: false,
		});
	});

	it('keeps multi-part surnames', () => {
		expect(readName('DE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<').surname.value).toBe('DE BRUIJN');
	});

	it('flags a name that reaches the last position as possibly truncated', () => {
		const name = 'BENNELONG<WOOLOOMOOLOO<WARRANDYTE<<WARN';
		expect(name).toHaveLength(39);
		expect(readName(name)).toEqual({
			surname: { value: 'BENNELONG WOOLOOMOOLOO WARRANDYTE', valid: true },
			given_names: { value: 'WARN', valid: true },
			name_may_be_truncated: true,
		});
	});

	it('reads a name without << as a surname alone', () => {
		expect(readName('MADONNA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<').given_names.value).toBe('');
		expect(readName(`${'A'.repeat(39)}`).surname.value).toBe('A'.repeat(39));
	});

	it('reads a name that starts with << as given names alone', () => {
		expect(readName('<<FIRST<NAME<<<<<<<<<<<<<<<<<<<<<<<<<<<<')).toMatchObject({
			surname: { value: '', valid: true },
			given_names: { value: 'FIRST NAME', valid: true },
		});
	});

	it('reports an empty name once', () => {
		expect(readName('<'.repeat(39))).toEqual({
			surname: { value: '', valid: false, problem: 'MRZ name is empty' },
			given_names: { value: '', valid: false },
			name_may_be_truncated: false,
		});
	});
});

describe('readPassportNumber', () => {
	it('strips trailing fillers from a short number', () => {
		expect(readPassportNumber('12345<<<<')).toEqual({ value: '12345', valid: true });
	});

	it('reports a filler inside the number, which the check digit cannot tell from 0', () => {
		expect(readPassportNumber('L89890<C3')).toEqual({
			value: 'L89890<C3',
			valid: false,
			problem: 'MRZ passport number L89890<C3 has a < inside it',
		});
	});

	it('reports an empty number', () => {
		expect(readPassportNumber('<<<<<<<<<')).toEqual({
			value: '',
			valid: false,
			problem: 'MRZ passport number is empty',
		});
	});
});

describe('readSex', () => {
	it.each([
		['M', 'M'],
		['F', 'F'],
		['<', 'X'],
	])('reads %s as %s', (raw, value) => {
		expect(readSex(raw)).toEqual({ value, valid: true });
	});

	it('rejects X, which the MRZ writes as <', () => {
		expect(readSex('X')).toEqual({
			value: 'X',
			valid: false,
			problem: 'MRZ sex X is not M, F or < (unspecified)',
		});
	});
});

describe('readOptionalData', () => {
	it('strips trailing fillers and keeps the rest', () => {
		expect(readOptionalData('ZE184226B<<<<<')).toEqual({ value: 'ZE184226B', valid: true });
		expect(readOptionalData('<<<<<<<<<<<<<<')).toEqual({ value: '', valid: true });
	});
});

describe('readDate', () => {
	it('gives YYYY-MM-DD', () => {
		expect(readDate('740812', 'birth', 'date of birth', TODAY)).toEqual({
			value: '1974-08-12',
			valid: true,
		});
	});

	it('rejects 31 February and month 13 by name', () => {
		expect(readDate('190231', 'expiry', 'date of expiry', TODAY)).toEqual({
			value: null,
			valid: false,
			problem: 'MRZ date of expiry 190231 is not a real date',
		});
		expect(readDate('741312', 'birth', 'date of birth', TODAY).problem).toBe(
			'MRZ date of birth 741312 is not a real date',
		);
	});

	it('reads a date of birth with an unknown day, or month and day, keeping only the known part', () => {
		expect(readDate('7408<<', 'birth', 'date of birth', TODAY)).toEqual({
			value: '1974-08',
			valid: true,
		});
		expect(readDate('74<<<<', 'birth', 'date of birth', TODAY)).toEqual({
			value: '1974',
			valid: true,
		});
	});

	it('rejects fillers anywhere else, in a date of expiry, and an unknown month with a known day', () => {
		for (const raw of ['74<<12', '7408<1', '<<0812', '<<<<<<']) {
			expect(readDate(raw, 'birth', 'date of birth', TODAY).valid).toBe(false);
		}
		expect(readDate('1204<<', 'expiry', 'date of expiry', TODAY).problem).toBe(
			'MRZ date of expiry 1204<< is not a YYMMDD date',
		);
	});
});

describe('stripTrailingFillers', () => {
	it('keeps inner fillers', () => {
		expect(stripTrailingFillers('A<B<<')).toBe('A<B');
	});
});
