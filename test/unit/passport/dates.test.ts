import {
	addMonths,
	ageWhenDecided,
	formatPartialDate,
	readMrzPartialBirthDate,
	readPartialIsoDate,
	calendarDateOf,
	compareDates,
	daysBetween,
	formatIsoDate,
	fullYearsBetween,
	isRealDate,
	readIsoDate,
	readMrzDate,
} from '../../../nodes/PassportOcr/passport/dates';

const d = (year: number, month: number, day: number) => ({ year, month, day });
const TODAY = d(2025, 6, 1);

describe('isRealDate', () => {
	it.each([
		[2024, 2, 29, true],
		[2000, 2, 29, true],
		[1900, 2, 29, false],
		[2023, 2, 29, false],
		[2019, 2, 30, false],
		[2019, 2, 31, false],
		[2019, 4, 31, false],
		[2019, 4, 30, true],
		[2019, 12, 31, true],
		[2019, 13, 1, false],
		[2019, 0, 10, false],
		[2019, 1, 0, false],
		[2019, 1, 1.5, false],
	])('%i-%i-%i is %s', (year, month, day, real) => {
		expect(isRealDate(year, month, day)).toBe(real);
	});
});

describe('readIsoDate', () => {
	it('reads YYYY-MM-DD', () => {
		expect(readIsoDate('1985-09-18')).toEqual({ ok: true, date: d(1985, 9, 18) });
	});

	it.each(['1985-9-18', '18/09/1985', '1985-09-18T00:00:00Z', '850918', ' 1985-09-18', ''])(
		'rejects the form %j',
		(text) => {
			expect(readIsoDate(text)).toEqual({ ok: false, reason: 'format' });
		},
	);

	it.each(['2019-02-31', '2023-02-29', '2019-13-01', '2019-00-10', '2019-06-00'])(
		'rejects %s, which is not a real date',
		(text) => {
			expect(readIsoDate(text)).toEqual({ ok: false, reason: 'calendar' });
		},
	);
});

describe('readMrzDate century rule (today 2025-06-01)', () => {
	it.each([
		['740812', '1974-08-12'],
		['250601', '2025-06-01'],
		['250602', '1925-06-02'],
		['000229', '2000-02-29'],
		['991231', '1999-12-31'],
	])('birth %s is %s: the latest century not after today', (text, iso) => {
		const reading = readMrzDate(text, 'birth', TODAY);
		expect(reading.ok && formatIsoDate(reading.date)).toBe(iso);
	});

	it.each([
		['120415', '2012-04-15'],
		['350601', '2035-06-01'],
		['350602', '1935-06-02'],
		['991231', '1999-12-31'],
		['300101', '2030-01-01'],
	])('expiry %s is %s: the latest century at most ten years ahead', (text, iso) => {
		const reading = readMrzDate(text, 'expiry', TODAY);
		expect(reading.ok && formatIsoDate(reading.date)).toBe(iso);
	});

	it('lets the chosen century decide leap years: 000229 is not real when it must mean 1900', () => {
		expect(readMrzDate('000229', 'birth', d(1999, 1, 1))).toEqual({
			ok: false,
			reason: 'calendar',
		});
	});

	it.each(['190231', '191301', '190400', '190431'])('rejects %s as not a real date', (text) => {
		expect(readMrzDate(text, 'expiry', TODAY)).toEqual({ ok: false, reason: 'calendar' });
	});

	it.each(['74O812', '7408<<', '74081', '7408123', ''])('rejects %j as not YYMMDD', (text) => {
		expect(readMrzDate(text, 'birth', TODAY)).toEqual({ ok: false, reason: 'format' });
	});
});

describe('date arithmetic', () => {
	it('takes the UTC calendar date of an instant', () => {
		expect(calendarDateOf(new Date('2025-06-01T23:30:00-05:00'))).toEqual(d(2025, 6, 2));
	});

	it('formats with zero padding', () => {
		expect(formatIsoDate(d(874, 1, 5))).toBe('0874-01-05');
	});

	it('compares dates', () => {
		expect(compareDates(d(2025, 6, 1), d(2025, 6, 1))).toBe(0);
		expect(compareDates(d(2025, 5, 31), d(2025, 6, 1))).toBeLessThan(0);
		expect(compareDates(d(2026, 1, 1), d(2025, 12, 31))).toBeGreaterThan(0);
	});

	it('counts days across leap years and centuries', () => {
		expect(daysBetween(d(1970, 1, 1), d(2000, 1, 1))).toBe(10957);
		expect(daysBetween(d(2024, 2, 28), d(2024, 3, 1))).toBe(2);
		expect(daysBetween(d(1900, 2, 28), d(1900, 3, 1))).toBe(1);
		expect(daysBetween(d(2025, 6, 1), d(2022, 1, 15))).toBe(-1233);
	});

	it('adds months, keeping the day within the target month', () => {
		expect(addMonths(d(2025, 8, 31), 6)).toEqual(d(2026, 2, 28));
		expect(addMonths(d(2023, 8, 31), 6)).toEqual(d(2024, 2, 29));
		expect(addMonths(d(2025, 6, 1), 0)).toEqual(d(2025, 6, 1));
		expect(addMonths(d(2025, 11, 15), 2)).toEqual(d(2026, 1, 15));
	});

	it('counts completed years, the birthday itself included', () => {
		expect(fullYearsBetween(d(1985, 9, 18), d(2025, 9, 17))).toBe(39);
		expect(fullYearsBetween(d(1985, 9, 18), d(2025, 9, 18))).toBe(40);
		expect(fullYearsBetween(d(2000, 2, 29), d(2025, 2, 28))).toBe(24);
	});
});

describe('partly unknown dates of birth', () => {
	it('reads YYMM<< and YY<<<< from the MRZ, century by the birth rule on the earliest day', () => {
		expect(readMrzPartialBirthDate('8503<<', TODAY)).toEqual({ year: 1985, month: 3 });
		expect(readMrzPartialBirthDate('85<<<<', TODAY)).toEqual({ year: 1985, month: null });
		expect(readMrzPartialBirthDate('2506<<', TODAY)).toEqual({ year: 2025, month: 6 });
		expect(readMrzPartialBirthDate('2507<<', TODAY)).toEqual({ year: 1925, month: 7 });
		for (const text of ['8513<<', '850<<<', '85<<01', '850301', '<<<<<<']) {
			expect(readMrzPartialBirthDate(text, TODAY)).toBeNull();
		}
	});

	it('writes and reads them as YYYY-MM and YYYY, never with a day', () => {
		expect(formatPartialDate({ year: 1985, month: 3 })).toBe('1985-03');
		expect(formatPartialDate({ year: 1985, month: null })).toBe('1985');
		expect(readPartialIsoDate('1985-03')).toEqual({ year: 1985, month: 3 });
		expect(readPartialIsoDate('1985')).toEqual({ year: 1985, month: null });
		expect(readPartialIsoDate('1985-03-01')).toBeNull();
		expect(readPartialIsoDate('1985-00')).toBeNull();
	});

	it('gives an age only when every possible day gives the same one', () => {
		expect(ageWhenDecided({ year: 1985, month: 3 }, d(2025, 6, 1))).toBe(40);
		expect(ageWhenDecided({ year: 1985, month: 6 }, d(2025, 6, 1))).toBeNull();
		expect(ageWhenDecided({ year: 1985, month: 6 }, d(2025, 6, 30))).toBe(40);
		expect(ageWhenDecided({ year: 1985, month: null }, d(2025, 6, 1))).toBeNull();
		expect(ageWhenDecided({ year: 1985, month: null }, d(2025, 12, 31))).toBe(40);
		expect(ageWhenDecided({ year: 2025, month: 6 }, d(2025, 6, 10))).toBe(0);
		expect(ageWhenDecided({ year: 2025, month: 7 }, d(2025, 6, 10))).toBeNull();
	});
});
