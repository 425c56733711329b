import { checkPassport } from '../../../nodes/PassportOcr/passport/passportChecks';
import { specimenCheck } from '../../../nodes/PassportOcr/passport/specimens';
import { UTOPIA, UTOPIA_PARTS, buildTd3 } from './td3Specimens';

const options = { today: new Date('2010-06-01T12:00:00Z'), minValidityMonths: 0 };

describe('specimen documents', () => {
	it('flags ICAO 9303 Utopia even when every check digit holds', () => {
		const report = checkPassport({}, UTOPIA, undefined, options);
		expect(report.checks).toMatchObject({
			valid: false,
			not_specimen: false,
			mrz_check_digits_valid: true,
			mrz_fields_valid: true,
		});
		expect(report.filled_from_mrz).toContain('nationality');
	});

	it('flags the example number L898902C3 under any state, and the state UTO under any number', () => {
		const [line1, line2] = buildTd3({ ...UTOPIA_PARTS, issuingState: 'NLD', nationality: 'NLD' });
		const report = checkPassport({}, { line1, line2 }, undefined, options);
		expect(report.checks.not_specimen).toBe(false);
		expect(report.checks.problems).toEqual([
			"This is a specimen document, not a real person's passport: its number L898902C3 is ICAO 9303's example passport",
		]);
		expect(specimenCheck({ countryCodes: [null, 'UTO'], passportNumbers: ['X1'] }).passed).toBe(
			false,
		);
	});

	it('passes a document with neither', () => {
		const check = specimenCheck({
			countryCodes: ['NLD', 'D', null],
			passportNumbers: ['C01X0006H'],
		});
		expect(check).toEqual({ check: 'not_specimen', passed: true, problems: [] });
	});
});
