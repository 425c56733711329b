/**
 * Repairs of MRZ line 2 that its check digits prove (ICAO Doc 9303 Part 3 §4.9), for the characters OCR
 * confuses (confusables.ts):
 * - a place that may hold only digits (the dates and every check digit) reads a confusable letter as its
 *   digit, kept only when every check digit covering that place then holds;
 * - the passport number, of letters and digits, is repaired only when exactly one single substitution makes both
 *   its own and the composite check digit hold. Two or more such readings repair nothing: the item is reviewed.
 * Names have no check digit and are never touched. The caller keeps the raw line as the service sent it.
 */

import { computeCheckDigit } from './checkDigit';
import { type Repair, confusableTwin, describeSubstitutions, digitFor } from './confusables';
import {
	type CharacterClass,
	type Span,
	TD3_CHECK_DIGITS,
	TD3_FIELDS,
	type Td3CheckDigitSpec,
	labelOf,
	slicePositions,
	span,
} from './td3Fields';

export interface Line2Repair {
	text: string;
	repairs: Repair[];
	/** Set when several readings of the passport number would each satisfy the check digits. */
	ambiguity?: string;
}

interface Place {
	field: string;
	label: string;
	span: Span;
}

const DIGIT_CLASSES: readonly CharacterClass[] = ['numeric', 'numericOrFiller'];
const NUMBER_SPAN = TD3_FIELDS.find((spec) => spec.field === 'passport_number') as Span;

/** Places of line 2 that hold only digits (and fillers): the numeric fields, then each check digit. */
const DIGIT_PLACES: readonly Place[] = [
	...TD3_FIELDS.filter((spec) => DIGIT_CLASSES.includes(spec.characters)).map((spec) => ({
		field: spec.field,
		label: labelOf(spec.field),
		span: spec,
	})),
	...TD3_CHECK_DIGITS.map((spec) => ({
		field: `${spec.check}_check_digit`,
		label: `${labelOf(spec.check)} check digit`,
		span: span(spec.at, spec.at),
	})),
];

const overlaps = (a: Span, b: Span) => a.from <= b.to && b.from <= a.to;

/** The check digits whose value depends on a place: those computed over it, and the one standing in it. */
function checksOf(place: Span): Td3CheckDigitSpec[] {
	return TD3_CHECK_DIGITS.filter(
		(spec) => spec.at === place.from || spec.covers.some((covered) => overlaps(covered, place)),
	);
}

function holds(line2: string, spec: Td3CheckDigitSpec): boolean {
	const covered = spec.covers.map((covers) => slicePositions(line2, covers)).join('');
	if (spec.fillerWhenEmpty && /^<+$/.test(covered)) return /^[<0]$/.test(line2[spec.at - 1]);
	return String(computeCheckDigit(covered)) === line2[spec.at - 1];
}

const byCheck = (name: string) => TD3_CHECK_DIGITS.find((spec) => spec.check === name);
const NUMBER_CHECKS = ['passport_number', 'composite'].map(byCheck) as Td3CheckDigitSpec[];

function replaceSpan(line: string, { from, to }: Span, text: string): string {
	return line.slice(0, from - 1) + text + line.slice(to);
}

const asDigits = (text: string) => [...text].map((char) => digitFor(char) ?? char).join('');

type DigitPlaceChange = Place & { read: string; became: string };

/** Each digits-only place holding a confusable letter, with the same place read as digits. */
function digitPlaceChanges(line2: string): DigitPlaceChange[] {
	return DIGIT_PLACES.map((place) => {
		const read = slicePositions(line2, place.span);
		return { ...place, read, became: asDigits(read) };
	}).filter(({ read, became }) => read !== became);
}

/** Every passport number one confusable substitution away whose own and composite check digits hold. */
function numberReadings(line2: string): string[] {
	const number = slicePositions(line2, NUMBER_SPAN);
	const readings: string[] = [];
	for (let index = 0; index < number.length; index++) {
		const twin = confusableTwin(number[index]);
		if (twin === undefined) continue;
		const reading = number.slice(0, index) + twin + number.slice(index + 1);
		const line = replaceSpan(line2, NUMBER_SPAN, reading);
		if (NUMBER_CHECKS.every((spec) => holds(line, spec))) readings.push(reading);
	}
	return readings;
}

function repairNumber(line2: string): Line2Repair {
	if (holds(line2, NUMBER_CHECKS[0])) return { text: line2, repairs: [] };
	const read = slicePositions(line2, NUMBER_SPAN);
	const readings = numberReadings(line2);
	if (readings.length === 1) {
		const [became] = readings;
		const rule = `Reading ${describeSubstitutions(read, became)} is the only change of one confusable character that makes the passport number and composite check digits hold`;
		const repair: Repair = { field: 'passport_number', line: 2, read, became, rule };
		return { text: replaceSpan(line2, NUMBER_SPAN, became), repairs: [repair] };
	}
	if (readings.length === 0) return { text: line2, repairs: [] };
	const ambiguity = `MRZ passport number ${read.replace(/<+$/, '')} could be read as ${readings.map((reading) => reading.replace(/<+$/, '')).join(' or ')}: each satisfies the check digits, so it was not repaired`;
	return { text: line2, repairs: [], ambiguity };
}

function digitPlaceRule({ label, span: place, read, became }: DigitPlaceChange): string {
	const checks = checksOf(place).map((spec) => labelOf(spec.check));
	const reading = describeSubstitutions(read, became);
	return `Only digits may stand in the ${label}; reading ${reading} makes the ${checks.join(' and ')} check digits hold`;
}

/** A readable (44-character) line 2, repaired where the check digits prove it. */
export function repairLine2(line2: string): Line2Repair {
	let changes = digitPlaceChanges(line2);
	// A reading the check digits refute goes back to its letter, which changes the composite the others were
	// judged by, so the rest are judged again; each round drops one or more, so this ends.
	for (;;) {
		const withDigits = changes.reduce((line, c) => replaceSpan(line, c.span, c.became), line2);
		const number = repairNumber(withDigits);
		const proven = changes.filter((c) =>
			checksOf(c.span).every((spec) => holds(number.text, spec)),
		);
		if (proven.length === changes.length) {
			const repairs = changes.map(
				(change): Repair => ({
					field: change.field,
					line: 2,
					read: change.read,
					became: change.became,
					rule: digitPlaceRule(change),
				}),
			);
			return { ...number, repairs: [...repairs, ...number.repairs] };
		}
		changes = proven;
	}
}
