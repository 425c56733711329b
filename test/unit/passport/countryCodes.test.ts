import {
	ICAO_CODES_OUTSIDE_ISO,
	ISO_3166_CODES,
	isIcaoCountryCode,
	sameCountry,
} from '../../../nodes/PassportOcr/passport/countryCodes';

describe('the ICAO 9303 country code list', () => {
	it('holds the 249 ISO 3166-1 alpha-3 codes, each once, in order', () => {
		expect(ISO_3166_CODES).toHaveLength(249);
		expect(new Set(ISO_3166_CODES).size).toBe(249);
		expect([...ISO_3166_CODES].sort()).toEqual(ISO_3166_CODES);
		for (const code of ISO_3166_CODES) expect(code).toMatch(/^[A-Z]{3}$/);
	});

	it('does not repeat an ISO code among the Doc 9303 additions', () => {
		for (const code of Object.keys(ICAO_CODES_OUTSIDE_ISO)) {
			expect(ISO_3166_CODES).not.toContain(code);
		}
	});

	it.each(['GBR', 'DEU', 'CHN', 'ARE', 'ETH', 'NLD', 'USA', 'SSD', 'ALA', 'BES', 'CUW', 'SXM'])(
		'accepts the ISO code %s',
		(code) => {
			expect(isIcaoCountryCode(code)).toBe(true);
		},
	);

	it.each([
		'D',
		'GBD',
		'GBN',
		'GBO',
		'GBP',
		'GBS',
		'UNO',
		'UNA',
		'UNK',
		'XXA',
		'XXB',
		'XXC',
		'XXX',
		'EUE',
		'RKS',
		'UTO',
		'XOM',
		'XPO',
	])('accepts the non-ISO Doc 9303 code %s', (code) => {
		expect(isIcaoCountryCode(code)).toBe(true);
	});

	it.each([
		['ETF', 'the G42 example code, which no list assigns'],
		['XXK', 'a Kosovo code some libraries use; Doc 9303 uses RKS'],
		['IAO', 'ICAO itself, which only signs master lists'],
		['D<<', 'an MRZ field that still has its fillers'],
		['deu', 'lower case'],
		['', 'empty'],
		['GB', 'a two-letter code'],
	])('rejects %j (%s)', (code) => {
		expect(isIcaoCountryCode(code)).toBe(false);
	});
});

describe('sameCountry', () => {
	it('treats the MRZ D and the ISO DEU as Germany both', () => {
		expect(sameCountry('D', 'DEU')).toBe(true);
		expect(sameCountry('DEU', 'D')).toBe(true);
	});

	it('otherwise compares the codes as written', () => {
		expect(sameCountry('ETH', 'ETH')).toBe(true);
		expect(sameCountry('ETH', 'ETF')).toBe(false);
		expect(sameCountry('D', 'DNK')).toBe(false);
	});
});
