/**
 * Calendar dates as passports write them: `YYYY-MM-DD` from the service, `YYMMDD` in the MRZ. Only real
 * calendar dates pass (no 31 February, no 29 February outside leap years).
 */

export interface CalendarDate {
	year: number;
	month: number;
	day: number;
}

export type DateReading =
	| { ok: true; date: CalendarDate }
	| { ok: false; reason: 'format' | 'calendar' };

/**
 * Longest span, in years, between today and a passport's expiry: passports are issued for ten years at most,
 * so an expiry cannot lie further ahead than that.
 */
export const MAX_PASSPORT_VALIDITY_YEARS = 10;

export function isRealDate(year: number, month: number, day: number): boolean {
	if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
	if (month < 1 || month > 12 || day < 1) return false;
	return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return isLeapYear(year) ? 29 : 28;
	return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Reads a strict `YYYY-MM-DD` date. */
export function readIsoDate(text: string): DateReading {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!match) return { ok: false, reason: 'format' };
	return checkedDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * Reads an MRZ `YYMMDD` date. The MRZ drops the century, so it is chosen here:
 * - date of birth: the latest century that does not put the date after `today` (a person cannot be born in
 *   the future; someone over 100 is read as a century younger);
 * - date of expiry: the latest century that puts the date no more than MAX_PASSPORT_VALIDITY_YEARS after
 *   `today`.
 * The century decides leap years, so `000229` is real as 2000-02-29 and not as 1900-02-29.
 */
export function readMrzDate(
	text: string,
	kind: 'birth' | 'expiry',
	today: CalendarDate,
): DateReading {
	const match = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
	if (!match) return { ok: false, reason: 'format' };
	const latest = kind === 'birth' ? today : addYears(today, MAX_PASSPORT_VALIDITY_YEARS);
	const month = Number(match[2]);
	const day = Number(match[3]);
	return checkedDate(centuryYear(Number(match[1]), month, day, latest), month, day);
}

/** The full year of `yy` in the latest century that does not put month/day after `latest`. */
function centuryYear(yy: number, month: number, day: number, latest: CalendarDate): number {
	const year = latest.year - ((((latest.year - yy) % 100) + 100) % 100);
	return compareDates({ year, month, day }, latest) > 0 ? year - 100 : year;
}

function checkedDate(year: number, month: number, day: number): DateReading {
	return isRealDate(year, month, day)
		? { ok: true, date: { year, month, day } }
		: { ok: false, reason: 'calendar' };
}

/** The calendar date of an instant, in UTC, so the result does not depend on the machine's time zone. */
export function calendarDateOf(instant: Date): CalendarDate {
	return {
		year: instant.getUTCFullYear(),
		month: instant.getUTCMonth() + 1,
		day: instant.getUTCDate(),
	};
}

export function formatIsoDate(date: CalendarDate): string {
	const pad = (value: number, width: number) => String(value).padStart(width, '0');
	return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** Negative when `a` is earlier than `b`, zero when equal, positive when later. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
	return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Whole days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
	return dayNumber(to) - dayNumber(from);
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function dayNumber({ year, month, day }: CalendarDate): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	const dayOfEra =
		yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
	return era * 146097 + dayOfEra - 719468;
}

/** Adds calendar months; a day past the end of the target month becomes its last day (31 Aug + 6 = 28/29 Feb). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
	const monthIndex = date.year * 12 + (date.month - 1) + months;
	const year = Math.floor(monthIndex / 12);
	const month = monthIndex - year * 12 + 1;
	return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

export function addYears(date: CalendarDate, years: number): CalendarDate {
	return addMonths(date, years * 12);
}

/** Completed years from `birth` to `on`: the age a person has on that day. */
export function fullYearsBetween(birth: CalendarDate, on: CalendarDate): number {
	const years = on.year - birth.year;
	const birthdayPassed =
		on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
	return birthdayPassed ? years : years - 1;
}

/**
 * A date of birth the issuing state knows only in part: Doc 9303 Part 4 writes the unknown day (or month and
 * day) as fillers in the MRZ, `8503<<` or `85<<<<`. Nothing is invented for the unknown parts.
 */
export interface PartialDate {
	year: number;
	/** Null when the month is unknown too. */
	month: number | null;
}

/** The earliest and latest days a partial date can stand for. */
export function partialDateBounds({ year, month }: PartialDate): [CalendarDate, CalendarDate] {
	if (month === null)
		return [
			{ year, month: 1, day: 1 },
			{ year, month: 12, day: 31 },
		];
	return [
		{ year, month, day: 1 },
		{ year, month, day: daysInMonth(year, month) },
	];
}

/** `YYYY-MM`, or `YYYY` without a month: ISO 8601's reduced precision, which invents no day. */
export function formatPartialDate({ year, month }: PartialDate): string {
	const yyyy = String(year).padStart(4, '0');
	return month === null ? yyyy : `${yyyy}-${String(month).padStart(2, '0')}`;
}

/** `YYYY-MM` or `YYYY`, as the node writes a partly unknown date of birth; null for anything else. */
export function readPartialIsoDate(text: string): PartialDate | null {
	const match = /^(\d{4})(?:-(\d{2}))?$/.exec(text);
	if (!match) return null;
	const month = match[2] === undefined ? null : Number(match[2]);
	if (month !== null && (month < 1 || month > 12)) return null;
	return { year: Number(match[1]), month };
}

/**
 * An MRZ date of birth with fillers for its unknown parts (`YYMM<<`, `YY<<<<`), century by the rule of
 * `readMrzDate` applied to its earliest day; null when the text is not of that form.
 */
export function readMrzPartialBirthDate(text: string, today: CalendarDate): PartialDate | null {
	const match = /^(\d{2})(\d{2}|<<)<<$/.exec(text);
	if (!match) return null;
	const month = match[2] === '<<' ? null : Number(match[2]);
	if (month !== null && (month < 1 || month > 12)) return null;
	return { year: centuryYear(Number(match[1]), month ?? 1, 1, today), month };
}

/** The age on `on` when every day the partial date stands for gives the same one; otherwise null. */
export function ageWhenDecided(birth: PartialDate, on: CalendarDate): number | null {
	const [earliest, latest] = partialDateBounds(birth);
	if (compareDates(earliest, on) > 0) return null;
	// Days after `on` cannot be a date of birth, so the youngest possible holder was born on `on` at the latest.
	const youngest = compareDates(latest, on) > 0 ? on : latest;
	const oldest = fullYearsBetween(earliest, on);
	return fullYearsBetween(youngest, on) === oldest ? oldest : null;
}
