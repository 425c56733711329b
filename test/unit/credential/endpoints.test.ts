import {
	CLOUDS,
	EDITIONS,
	describeLocation,
	resolveServiceProfile,
} from '../../../nodes/PassportOcr/credential/endpoints';

describe('resolveServiceProfile', () => {
	it.each([
		[
			'huaweiCloud',
			'huaweiCloudRegion',
			'ap-southeast-1',
			'https://ocr.ap-southeast-1.myhuaweicloud.com',
			'https://iam.ap-southeast-1.myhuaweicloud.com',
			8192,
		],
		[
			'huaweiCloudChina',
			'huaweiCloudChinaRegion',
			'cn-north-4',
			'https://ocr.cn-north-4.myhuaweicloud.com',
			'https://iam.cn-north-4.myhuaweicloud.com',
			8192,
		],
		[
			'g42Cloud',
			'g42CloudRegion',
			'ae-ad-1',
			'https://ocr.ae-ad-1.g42cloud.com',
			'https://iam.ae-ad-1.g42cloud.com',
			4096,
		],
	])('derives the %s endpoints from the region', (cloud, field, region, ocr, iam, maxSide) => {
		const profile = resolveServiceProfile({ cloud, [field]: region });
		expect(profile).toMatchObject({
			cloud,
			region,
			ocrBaseUrl: ocr,
			iamBaseUrl: iam,
			maxSidePx: maxSide,
		});
	});

	it('offers the recognizer option only where the edition documents it', () => {
		expect(
			resolveServiceProfile({ cloud: 'huaweiCloud', huaweiCloudRegion: 'ap-southeast-2' })
				.supportsRecognizer,
		).toBe(true);
		expect(
			resolveServiceProfile({ cloud: 'g42Cloud', g42CloudRegion: 'ae-ad-1' }).supportsRecognizer,
		).toBe(false);
	});

	it('takes custom endpoints as given, without trailing slashes, with the chosen edition limits', () => {
		const profile = resolveServiceProfile({
			cloud: 'custom',
			customOcrEndpoint: 'http://127.0.0.1:9000/',
			customIamEndpoint: ' http://127.0.0.1:9001// ',
			customRegion: 'ae-ad-1',
			customEdition: 'g42',
		});
		expect(profile).toMatchObject({
			ocrBaseUrl: 'http://127.0.0.1:9000',
			iamBaseUrl: 'http://127.0.0.1:9001',
			edition: 'g42',
			maxSidePx: EDITIONS.g42.maxSidePx,
		});
		expect(describeLocation(profile)).toBe('region ae-ad-1 of Custom');
	});

	it.each([
		[
			{ cloud: 'custom', customIamEndpoint: 'x', customRegion: 'r' },
			'The credential has no OCR Endpoint',
		],
		[
			{ cloud: 'custom', customOcrEndpoint: 'x', customIamEndpoint: 'y' },
			'The credential has no Region',
		],
		[{ cloud: 'huaweiCloud', huaweiCloudRegion: '' }, 'The credential has no Region'],
		[{ cloud: 'moonCloud' }, 'The credential\'s Cloud "moonCloud" is not one this node knows'],
	])('names the missing field: %j', (settings, message) => {
		expect(() => resolveServiceProfile(settings)).toThrow(message);
	});

	it('lists a Passport region first for every cloud', () => {
		for (const definition of Object.values(CLOUDS)) {
			expect(definition.regions[0].servesPassport).toBe(true);
		}
	});
});
