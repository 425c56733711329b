import { outcome } from '../../../nodes/PassportOcr/passport/checkOutcome';

describe('outcome', () => {
	it('passes a check without a problem', () => {
		expect(outcome('sex_valid', null)).toEqual({ check: 'sex_valid', passed: true, problems: [] });
	});

	it('fails a check with its problem', () => {
		expect(outcome('sex_valid', 'Sex is missing')).toEqual({
			check: 'sex_valid',
			passed: false,
			problems: ['Sex is missing'],
		});
	});
});
