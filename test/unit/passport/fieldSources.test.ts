import { resolveFields } from '../../../nodes/PassportOcr/passport/fieldSources';
import { parseTd3 } from '../../../nodes/PassportOcr/passport/parseTd3';
import {
	type PassportCheckOptions,
	checkPassport,
} from '../../../nodes/PassportOcr/passport/passportChecks';
import { TODAY } from './td3Arbitraries';
import {
	DUTCH_FOREIGN_FIELDS,
	DUTCH_PARTS,
	G42_EXAMPLE,
	buildTd3,
	replaceAt,
} from './td3Specimens';

const at = (iso: string): PassportCheckOptions => ({
	today: new Date(`${iso}T12:00:00Z`),
	minValidityMonths: 6,
});

const [LINE1, LINE2] = buildTd3(DUTCH_PARTS);
const FOREIGN = DUTCH_FOREIGN_FIELDS;

describe('fields from the MRZ', () => {
	it('a valid passport in the documented foreign shape passes, nationality and type taken from the MRZ', () => {
		const report = checkPassport(FOREIGN, { line1: LINE1, line2: LINE2 }, {}, at('2026-12-07'));
		expect(report.checks.problems).toEqual([]);
		expect(report.checks.valid).toBe(true);
		expect(report.filled_from_mrz).toEqual(['passport_type', 'nationality']);
		expect(report.fields).toMatchObject({ passport_type: 'P', nationality: 'NLD' });
		expect(report.repairs).toEqual([]);
		// Compared with the MRZ is what the service sent, not what was taken from it.
		expect(report.checks).not.toHaveProperty('nationality_matches_mrz');
	});

	it('fills any of the 7 the service left out, where the MRZ proves it', () => {
		const report = checkPassport(
			{ country_code: 'NLD', surname: 'DE VRIES' },
			{ line1: LINE1, line2: LINE2 },
			{},
			at('2026-12-07'),
		);
		expect(report.filled_from_mrz).toEqual([
			'passport_type',
			'passport_number',
			'nationality',
			'given_name',
			'sex',
			'date_of_birth',
			'date_of_expiry',
		]);
		expect(report.fields).toMatchObject({
			passport_number: 'NW7K42R19',
			given_name: 'SANNE MARIJE',
			date_of_birth: '1988-04-13',
			date_of_expiry: '2034-09-11',
		});
		expect(report.checks.valid).toBe(true);
	});

	it('takes nothing a failing check digit covers, and no unknown country code', () => {
		const brokenExpiry = replaceAt(LINE2, 27, '2');
		const mrz = parseTd3({ line1: LINE1.replace('NLD', 'NLX'), line2: brokenExpiry }, TODAY);
		const { values, filled_from_mrz } = resolveFields({}, mrz);
		expect(filled_from_mrz).toEqual([
			'passport_type',
			'nationality',
			'surname',
			'given_name',
			'sex',
		]);
		expect(values.country_code).toBeUndefined();
		// The composite fails too, so neither the number nor either date is proven.
		expect(values.passport_number).toBeUndefined();
		expect(values.date_of_birth).toBeUndefined();
	});

	it('a field neither the service nor the MRZ gives is null, and a problem only if a passport must have it', () => {
		const report = checkPassport(
			{ ...FOREIGN, passport_number: undefined },
			{ line1: LINE1, line2: undefined },
			{},
			at('2026-12-07'),
		);
		expect(report.fields.place_of_birth).toBeUndefined();
		expect(report.checks.problems).toEqual([
			'Passport number is missing',
			'Nationality is missing',
			'MRZ line 2 is missing',
		]);
	});

	it('does not take the G42 example ETF (no ICAO code) as nationality', () => {
		const report = checkPassport(
			G42_EXAMPLE.fields,
			{ line1: G42_EXAMPLE.line1, line2: G42_EXAMPLE.line2 },
			G42_EXAMPLE.confidence,
			at('2021-01-15'),
		);
		expect(report.filled_from_mrz).toEqual(['passport_type']);
		expect(report.fields.nationality).toBeUndefined();
	});
});

describe('printed fields repaired from a proven MRZ', () => {
	it('a printed number or date that differs only by confusables takes the MRZ value, reported', () => {
		const report = checkPassport(
			{ ...FOREIGN, passport_number: 'NW7K4ZR19', date_of_expiry: '2O34-09-11' },
			{ line1: LINE1, line2: LINE2 },
			{},
			at('2026-12-07'),
		);
		expect(report.fields).toMatchObject({
			passport_number: 'NW7K42R19',
			date_of_expiry: '2034-09-11',
		});
		expect(report.repairs).toEqual([
			{
				field: 'passport_number',
				line: null,
				read: 'NW7K4ZR19',
				became: 'NW7K42R19',
				rule: "The printed passport number differs from the MRZ's, which its check digits prove, only by reading Z as 2",
			},
			expect.objectContaining({
				field: 'date_of_expiry',
				read: '2O34-09-11',
				became: '2034-09-11',
			}),
		]);
		expect(report.checks.valid).toBe(true);
	});

	it('never repairs a name: a printed name unlike the MRZ still goes to review', () => {
		const report = checkPassport(
			{ ...FOREIGN, surname: 'DE VR1ES' },
			{ line1: LINE1, line2: LINE2 },
			{},
			at('2026-12-07'),
		);
		expect(report.fields.surname).toBe('DE VR1ES');
		expect(report.repairs).toEqual([]);
		expect(report.checks).toMatchObject({ valid: false, surname_matches_mrz: false });
	});

	it('does not repair a printed number the MRZ does not prove', () => {
		const broken = replaceAt(LINE2, 10, '0');
		const report = checkPassport(
			{ ...FOREIGN, passport_number: 'NW7K4ZR19' },
			{ line1: LINE1, line2: broken },
			{},
			at('2026-12-07'),
		);
		expect(report.fields.passport_number).toBe('NW7K4ZR19');
		expect(report.checks.valid).toBe(false);
	});
});

describe('a date of birth with unknown parts (ICAO 9303 fillers)', () => {
	const lines = (birth: string) => {
		const [line1, line2] = buildTd3({ ...DUTCH_PARTS, birth });
		return { line1, line2 };
	};
	const foreign = (birth: string) => ({ ...FOREIGN, date_of_birth: birth });

	it('keeps the known year and month, invents no day, and is not a failed check', () => {
		const report = checkPassport(foreign(''), lines('8503<<'), {}, at('2026-06-01'));
		expect(report.fields.date_of_birth).toBe('1985-03');
		expect(report.filled_from_mrz).toContain('date_of_birth');
		expect(report).toMatchObject({ date_of_birth_partly_unknown: true, age: 41 });
		expect(report.checks.problems).toEqual([]);
		expect(report.checks.valid).toBe(true);
	});

	it('gives the age only where the known part decides it', () => {
		expect(checkPassport(foreign(''), lines('8503<<'), {}, at('2026-03-15')).age).toBeNull();
		expect(checkPassport(foreign(''), lines('85<<<<'), {}, at('2026-06-01')).age).toBeNull();
		expect(checkPassport(foreign(''), lines('85<<<<'), {}, at('2026-12-31')).age).toBe(41);
	});

	it('fails only what the known part decides, naming the date as given', () => {
		const future = checkPassport(foreign('2030-05'), undefined, {}, at('2026-06-01'));
		expect(future.checks.birth_in_past).toBe(false);
		expect(future.checks.problems).toContain(
			'Date of birth 2030-05 is in the future (today is 2026-06-01)',
		);
		const thisMonth = checkPassport(foreign('2026-06'), undefined, {}, at('2026-06-01'));
		expect(thisMonth.checks.birth_in_past).toBe(true);
	});

	it('compares a printed partial date with the MRZ by its known parts', () => {
		const same = checkPassport(foreign('1985-03'), lines('8503<<'), {}, at('2026-06-01'));
		expect(same.checks).toMatchObject({ valid: true, date_of_birth_matches_mrz: true });
		const other = checkPassport(foreign('1985-04'), lines('8503<<'), {}, at('2026-06-01'));
		expect(other.checks.date_of_birth_matches_mrz).toBe(false);
	});
});
