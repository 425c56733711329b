import { readImageHeader } from '../../../nodes/PassportOcr/input/imageHeader';
import { type Fixture, FIXTURES } from '../../emulator';

const KEY_FIELDS = [
	'passport_type',
	'country_code',
	'passport_number',
	'nationality',
	'surname',
	'given_name',
	'sex',
	'date_of_birth',
	'date_of_expiry',
	'date_of_issue',
	'place_of_birth',
	'place_of_issue',
	'issuing_authority',
];
/** What the service returns for a foreign passport (reference 2.1b/2.1c): the 7 it reads from the MRZ. */
const FOREIGN_FIELDS = [
	'country_code',
	'surname',
	'given_name',
	'passport_number',
	'date_of_birth',
	'sex',
	'date_of_expiry',
];

/** ICAO 9303 Part 3 §4.9, written here independently of the node's passport module. */
function checkDigit(text: string): string {
	const value = (char: string) =>
		/\d/.test(char) ? Number(char) : /[A-Z]/.test(char) ? char.charCodeAt(0) - 55 : 0;
	const sum = [...text].reduce((total, char, i) => total + value(char) * [7, 3, 1][i % 3], 0);
	return String(sum % 10);
}

/** The TD3 line 2 check digits hold, and the record's fields say what the line says. */
function expectLine2Matches(line: string, result: Fixture['result']): void {
	expect(line).toHaveLength(44);
	expect(checkDigit(line.slice(0, 9))).toBe(line[9]);
	expect(checkDigit(line.slice(13, 19))).toBe(line[19]);
	expect(checkDigit(line.slice(21, 27))).toBe(line[27]);
	expect(checkDigit(line.slice(0, 10) + line.slice(13, 20) + line.slice(21, 43))).toBe(line[43]);
	const yymmdd = (date: unknown) => String(date).slice(2).replace(/-/g, '');
	expect(line.slice(0, 9).replace(/<+$/, '')).toBe(result.passport_number);
	expect(line.slice(10, 13)).toBe(result.country_code);
	expect(line.slice(13, 19)).toBe(yymmdd(result.date_of_birth));
	expect(line[20]).toBe(result.sex);
	expect(line.slice(21, 27)).toBe(yymmdd(result.date_of_expiry));
}

const fixture = (name: string): Fixture => FIXTURES.find((candidate) => candidate.name === name)!;

describe('FIXTURES', () => {
	it('lists three specimens, two JPEG and one PNG', () => {
		expect(FIXTURES.map(({ name, file, mimeType }) => ({ name, file, mimeType }))).toEqual([
			{ name: 'china-qian', file: 'china-qian.jpg', mimeType: 'image/jpeg' },
			{
				name: 'netherlands-van-den-broek',
				file: 'netherlands-van-den-broek.png',
				mimeType: 'image/png',
			},
			{ name: 'utopia-eriksson', file: 'utopia-eriksson.jpg', mimeType: 'image/jpeg' },
		]);
	});

	it.each(FIXTURES.map((entry) => [entry.name, entry] as const))(
		'%s is a small image of a data page that fits the service limits',
		(_, entry) => {
			expect(entry.bytes.length).toBeLessThan(500 * 1024);
			const header = readImageHeader(entry.bytes);
			expect(header).toMatchObject({ ok: true, format: entry.mimeType.slice('image/'.length) });
			if (!header.ok) return;
			expect(header.width).toBeGreaterThanOrEqual(1000);
			expect(header.width).toBeLessThanOrEqual(1400);
		},
	);

	it.each(FIXTURES.map((entry) => [entry.name, entry] as const))(
		'%s scores only fields it returned, as 0-1 with four decimals',
		(_, { result }) => {
			const scores = Object.entries(result.confidence as Record<string, number>);
			expect(scores.length).toBeGreaterThan(0);
			for (const [field, score] of scores) {
				expect(KEY_FIELDS).toContain(field);
				expect(result).toHaveProperty(field);
				expect(score).toBeGreaterThan(0);
				expect(score).toBeLessThanOrEqual(1);
				expect(Math.round(score * 10_000) / 10_000).toBe(score);
			}
		},
	);
});

describe('recorded results', () => {
	it('Utopia: the documented foreign shape, 7 fields and both MRZ lines, a stray space in the first', () => {
		const { result } = fixture('utopia-eriksson');
		expect(Object.keys(result).sort()).toEqual(
			[...FOREIGN_FIELDS, 'machine_code', 'machine_code2', 'extra_info', 'confidence'].sort(),
		);
		expect(result).toMatchObject({
			country_code: 'UTO',
			passport_number: 'L898902C3',
			surname: 'ERIKSSON',
			given_name: 'ANNA MARIA ',
			date_of_birth: '1974-08-12',
			extra_info: {},
		});
		expect(Object.keys(result.confidence as object).sort()).toEqual([...FOREIGN_FIELDS].sort());
		const line1 = String(result.machine_code);
		expect(line1).toContain(' ');
		expect(line1.replace(/ /g, '')).toBe('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<');
		expectLine2Matches(String(result.machine_code2), result);
	});

	it('China: all 13 fields, nationality as a word, local-language fields in extra_info, no MRZ lines', () => {
		const { result } = fixture('china-qian');
		for (const field of KEY_FIELDS) expect(result[field]).toEqual(expect.stringMatching(/\S/));
		expect(result).toMatchObject({
			country_code: 'CHN',
			nationality: 'CHINESE',
			issuing_authority: 'MPS Exit & Entry Administration',
		});
		expect(result.passport_number).toMatch(/^E\d{8}$/);
		const chinese = expect.stringMatching(/^[\u4e00-\u9fff]+$/);
		expect(result.extra_info).toEqual({
			local_language: {
				name: chinese,
				sex: '女',
				place_of_birth: chinese,
				place_of_issue: chinese,
				issuing_authority: chinese,
				nationality: '中国',
			},
		});
		expect(result).not.toHaveProperty('machine_code');
		expect(Object.keys(result.confidence as object).sort()).toEqual([...KEY_FIELDS].sort());
	});

	it('Netherlands: the foreign shape with trailing spaces, and unreadable fields left out', () => {
		const { result } = fixture('netherlands-van-den-broek');
		expect(result.surname).toBe('VAN DEN BROEK ');
		expect(result.given_name).toMatch(/^LOTTE SOPHIE +$/);
		const missing = FOREIGN_FIELDS.filter((field) => !(field in result));
		expect(missing).toEqual(['sex', 'date_of_expiry']);
		expect(
			KEY_FIELDS.filter((field) => field in result && !FOREIGN_FIELDS.includes(field)),
		).toEqual([]);
		const returned = KEY_FIELDS.filter((field) => field in result);
		expect(Object.keys(result.confidence as object).sort()).toEqual(returned.sort());
	});
});
