/** Verifies the five TD3 check digits of line 2 against the spans `TD3_CHECK_DIGITS` lists. */

import { type CheckDigitResult, verifyCheckDigit } from './checkDigit';
import {
	TD3_CHECK_DIGITS,
	type Td3CheckDigitName,
	type Td3CheckDigitSpec,
	labelOf,
	slicePositions,
	span,
} from './td3Fields';

export interface CheckDigitReading {
	check: Td3CheckDigitName;
	result: CheckDigitResult;
	problem?: string;
}

/** `line2` is null when the line was not read; every digit is then unverified, with no problem of its own. */
export function readCheckDigits(line2: string | null): CheckDigitReading[] {
	return TD3_CHECK_DIGITS.map((spec) => {
		if (line2 === null) {
			return { check: spec.check, result: { expected: null, found: null, valid: false } };
		}
		const covered = spec.covers.map((covers) => slicePositions(line2, covers)).join('');
		const found = slicePositions(line2, span(spec.at, spec.at));
		const result = verifyOrEmpty(spec, covered, found);
		return { check: spec.check, result, problem: checkDigitProblem(spec, covered, result) };
	});
}

function verifyOrEmpty(spec: Td3CheckDigitSpec, covered: string, found: string): CheckDigitResult {
	if (spec.fillerWhenEmpty && /^<+$/.test(covered) && found === '<') {
		return { expected: '0', found, valid: true };
	}
	return verifyCheckDigit(covered, found);
}

function checkDigitProblem(
	spec: Td3CheckDigitSpec,
	covered: string,
	{ expected, found, valid }: CheckDigitResult,
): string | undefined {
	if (valid) return undefined;
	const label = labelOf(spec.check);
	const what = spec.check === 'composite' ? 'the rest of line 2' : `${label} ${covered}`;
	if (expected === null) {
		return `MRZ ${label} check digit cannot be computed: ${what} holds characters outside A-Z, 0-9 and <`;
	}
	return `MRZ ${label} check digit is ${found}, but ${what} gives ${expected}`;
}
