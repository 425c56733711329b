import {
	SERVICE_ERRORS,
	knownServiceError,
	normaliseErrorCode,
} from '../../../nodes/PassportOcr/contract/serviceErrors';

// Every code of the reference's error table (§3.3), so a code dropped from the table fails here.
const DOCUMENTED_CODES = [
	'AIS.0101',
	'AIS.0102',
	'AIS.0103',
	'AIS.0104',
	'AIS.0105',
	'ModelArts.0203',
	'ModelArts.0212',
	'ModelArts.4101',
	'ModelArts.4102',
	'ModelArts.4103',
	'ModelArts.4104',
	'ModelArts.4105',
	'ModelArts.4201',
	'ModelArts.4202',
	'ModelArts.4203',
	'ModelArts.4204',
	'ModelArts.4301',
	'ModelArts.4302',
	'ModelArts.4401',
	'ModelArts.4402',
	'ModelArts.4403',
	'ModelArts.4502',
	'ModelArts.4503',
	'ModelArts.4504',
	'ModelArts.4505',
	'ModelArts.4506',
	'ModelArts.4508',
	'ModelArts.4601',
	'ModelArts.4603',
	'ModelArts.4702',
	'ModelArts.4703',
	'ModelArts.4704',
	'ModelArts.4705',
	'ModelArts.4706',
	'APIG.0101',
	'APIG.0106',
	'APIG.0201',
	'APIG.0301',
	'APIG.0307',
	'APIG.0308',
];

describe('service error table', () => {
	it('covers every documented code and nothing else', () => {
		expect(Object.keys(SERVICE_ERRORS).sort()).toEqual([...DOCUMENTED_CODES].sort());
	});

	it.each(DOCUMENTED_CODES)('%s has a short message that says what to do', (code) => {
		const message = SERVICE_ERRORS[code].message({
			where: 'region ap-southeast-1 of Huawei Cloud',
		});
		expect(message.length).toBeLessThan(160);
		expect(message).toMatch(/: [a-z]/);
	});

	it('names the region where Passport must be enabled', () => {
		expect(SERVICE_ERRORS['ModelArts.4204'].message({ where: 'region ae-ad-1 of G42 Cloud' })).toBe(
			'Passport OCR is not enabled in region ae-ad-1 of G42 Cloud: enable "Passport" in the OCR console there, with the same account',
		);
	});

	it('marks throttling and backend trouble as retryable, problems of the image, of the setup and of the token apart', () => {
		const retryable = DOCUMENTED_CODES.filter((code) => SERVICE_ERRORS[code].remedy === 'retry');
		expect(retryable).toEqual(
			expect.arrayContaining([
				'APIG.0308',
				'APIG.0201',
				'ModelArts.4401',
				'ModelArts.4402',
				'ModelArts.4403',
			]),
		);
		for (const code of ['AIS.0101', 'AIS.0102', 'AIS.0103', 'AIS.0104', 'ModelArts.4104']) {
			expect(SERVICE_ERRORS[code].remedy).toBe('fix-item');
		}
		// Problems of the account or the endpoint: every item would fail alike.
		for (const code of ['ModelArts.4203', 'ModelArts.4204', 'APIG.0101', 'ModelArts.0212']) {
			expect(SERVICE_ERRORS[code].remedy).toBe('fix-setup');
		}
		for (const code of ['APIG.0301', 'APIG.0307', 'ModelArts.4101']) {
			expect(SERVICE_ERRORS[code].remedy).toBe('reauthenticate');
		}
	});

	it('reads the gateway spelling APIGW as APIG', () => {
		expect(normaliseErrorCode('APIGW.0308')).toBe('APIG.0308');
		expect(knownServiceError('APIGW.0307')).toBe(SERVICE_ERRORS['APIG.0307']);
		expect(knownServiceError('AIS.0111')).toBeUndefined();
	});
});
