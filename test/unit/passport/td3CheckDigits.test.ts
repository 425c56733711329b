import { readCheckDigits } from '../../../nodes/PassportOcr/passport/td3CheckDigits';
import { GERMANY_2007, UTOPIA, replaceAt } from './td3Specimens';

const failing = (line2: string) =>
	readCheckDigits(line2)
		.filter(({ result }) => !result.valid)
		.map(({ check }) => check);

const problems = (line2: string) => readCheckDigits(line2).flatMap(({ problem }) => problem ?? []);

describe('readCheckDigits', () => {
	it('verifies all five digits of the Utopia specimen', () => {
		expect(readCheckDigits(UTOPIA.line2)).toEqual([
			{ check: 'passport_number', result: { expected: '6', found: '6', valid: true } },
			{ check: 'date_of_birth', result: { expected: '2', found: '2', valid: true } },
			{ check: 'date_of_expiry', result: { expected: '9', found: '9', valid: true } },
			{ check: 'optional_data', result: { expected: '1', found: '1', valid: true } },
			{ check: 'composite', result: { expected: '0', found: '0', valid: true } },
		]);
	});

	// A wrong digit also breaks the composite, which covers every digit but its own.
	it.each([
		[
			10,
			'passport_number',
			'MRZ passport number check digit is 5, but passport number L898902C3 gives 6',
		],
		[20, 'date_of_birth', 'MRZ date of birth check digit is 5, but date of birth 740812 gives 2'],
		[
			28,
			'date_of_expiry',
			'MRZ date of expiry check digit is 5, but date of expiry 120415 gives 9',
		],
		[
			43,
			'optional_data',
			'MRZ optional data check digit is 5, but optional data ZE184226B<<<<< gives 1',
		],
	])('catches a wrong digit at position %i (%s)', (position, check, problem) => {
		const line2 = replaceAt(UTOPIA.line2, position, '5');
		expect(failing(line2)).toEqual([check, 'composite']);
		expect(problems(line2)[0]).toBe(problem);
	});

	it('catches a wrong composite digit on its own', () => {
		const line2 = replaceAt(UTOPIA.line2, 44, '5');
		expect(failing(line2)).toEqual(['composite']);
		expect(problems(line2)).toEqual([
			'MRZ composite check digit is 5, but the rest of line 2 gives 0',
		]);
	});

	it('catches a changed character in a covered field through its digit and the composite', () => {
		expect(failing(replaceAt(UTOPIA.line2, 3, '0'))).toEqual(['passport_number', 'composite']);
		expect(failing(replaceAt(UTOPIA.line2, 16, '9'))).toEqual(['date_of_birth', 'composite']);
		expect(failing(replaceAt(UTOPIA.line2, 25, '9'))).toEqual(['date_of_expiry', 'composite']);
		expect(failing(replaceAt(UTOPIA.line2, 30, '9'))).toEqual(['optional_data', 'composite']);
	});

	it('accepts < or 0 as the digit of an empty optional data field, and nothing else', () => {
		const withZero = replaceAt(GERMANY_2007.line2, 43, '0');
		expect(failing(GERMANY_2007.line2)).toEqual([]);
		expect(readCheckDigits(GERMANY_2007.line2)[3].result).toEqual({
			expected: '0',
			found: '<',
			valid: true,
		});
		expect(failing(withZero)).toEqual([]);
		expect(failing(replaceAt(GERMANY_2007.line2, 43, '1'))).toEqual(['optional_data', 'composite']);
	});

	it('does not accept < as the digit of a field that is not empty', () => {
		expect(failing(replaceAt(UTOPIA.line2, 43, '<'))).toContain('optional_data');
		expect(failing(replaceAt(UTOPIA.line2, 10, '<'))).toContain('passport_number');
	});

	it('says when a digit cannot be computed', () => {
		const line2 = replaceAt(UTOPIA.line2, 3, '*');
		expect(readCheckDigits(line2)[0]).toEqual({
			check: 'passport_number',
			result: { expected: null, found: '6', valid: false },
			problem:
				'MRZ passport number check digit cannot be computed: passport number L8*8902C3 holds characters outside A-Z, 0-9 and <',
		});
	});

	it('leaves every digit unverified, without problems, when line 2 was not read', () => {
		const readings = readCheckDigits(null);
		expect(readings).toHaveLength(5);
		for (const reading of readings) {
			expect(reading.result).toEqual({ expected: null, found: null, valid: false });
			expect(reading.problem).toBeUndefined();
		}
	});
});
