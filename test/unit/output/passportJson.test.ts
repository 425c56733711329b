import { PASSPORT_FIELDS } from '../../../nodes/PassportOcr/contract/passportApi';
import {
	failureJson,
	rawJson,
	simplifiedJson,
} from '../../../nodes/PassportOcr/output/passportJson';

// The G42 edition's documented example answer (reference §2.1b).
const g42Example = {
	country_code: 'ETF',
	surname: 'HUZHAO',
	given_name: 'ZHAOMIN DESALEGN ',
	passport_number: 'EP435XXXX',
	date_of_birth: '1985-09-18',
	sex: 'M',
	date_of_expiry: '2022-01-15',
	machine_code: 'P<ETFHUZHAO<< ZHAOMIN <DESALEGN<<<<<<<<<<<<<<<',
	machine_code2: 'EP435XXXX7ETF8509185M2201155<<<<<<<<<<<<<<08',
	extra_info: {},
	confidence: { country_code: 0.9727, surname: 0.9727, passport_number: 0.9558 },
};

describe('simplifiedJson', () => {
	const json = simplifiedJson({ result: g42Example, requestId: 'req-1' });

	it('always has the 13 fields, trimmed, null when the service sent none', () => {
		for (const field of PASSPORT_FIELDS) expect(json).toHaveProperty(field);
		expect(json.given_name).toBe('ZHAOMIN DESALEGN');
		expect(json.place_of_birth).toBeNull();
		expect(json.date_of_issue).toBeNull();
	});

	it('keeps the MRZ lines, confidence, extra_info and the request id', () => {
		expect(json.machine_code).toBe(g42Example.machine_code);
		expect(json.machine_code2).toBe(g42Example.machine_code2);
		expect(json.confidence).toEqual(g42Example.confidence);
		expect(json.extra_info).toEqual({});
		expect(json.request_id).toBe('req-1');
	});

	it('leaves MRZ lines out when the service sent none, and fills empty objects', () => {
		const bare = simplifiedJson({ result: { surname: '  ', sex: 'F' } });
		expect(bare).not.toHaveProperty('machine_code');
		expect(bare.surname).toBeNull();
		expect(bare.sex).toBe('F');
		expect(bare.confidence).toEqual({});
		expect(bare.extra_info).toEqual({});
		expect(bare.request_id).toBeNull();
	});
});

describe('rawJson and failureJson', () => {
	it('returns the result untouched beside the request id', () => {
		expect(rawJson({ result: g42Example, requestId: 'req-2' })).toEqual({
			result: g42Example,
			request_id: 'req-2',
		});
	});

	it('puts the message first and keeps what support needs', () => {
		expect(
			failureJson({
				kind: 'service',
				code: 'APIG.0308',
				message: 'The rate limit was reached: wait',
				description: 'The service answered APIG.0308',
				scope: 'item',
				httpStatus: 429,
				serviceMessage: 'over ratelimit',
				requestId: 'req-3',
			}),
		).toEqual({
			error: 'The rate limit was reached: wait',
			error_code: 'APIG.0308',
			error_description: 'The service answered APIG.0308',
			error_msg: 'over ratelimit',
			http_status: 429,
			request_id: 'req-3',
		});
	});
});
