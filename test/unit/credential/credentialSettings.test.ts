import { readOcrCredential } from '../../../nodes/PassportOcr/credential/credentialSettings';

const endpoints = {
	cloud: 'huaweiCloud',
	huaweiCloudRegion: 'ap-southeast-1',
	projectId: ' 0a1b2c3d ',
};

describe('readOcrCredential', () => {
	it('reads a credential saved before Authentication existed as an IAM user', () => {
		const credential = readOcrCredential({
			...endpoints,
			domainName: 'acme',
			userName: 'bot',
			password: ' pass with spaces ',
		});
		expect(credential.projectId).toBe('0a1b2c3d');
		expect(credential.auth).toEqual({
			method: 'iamUser',
			signIn: {
				iamBaseUrl: 'https://iam.ap-southeast-1.myhuaweicloud.com',
				region: 'ap-southeast-1',
				projectId: '0a1b2c3d',
				domainName: 'acme',
				userName: 'bot',
				password: ' pass with spaces ',
			},
		});
	});

	it('reads an access key, trimmed of pasted spaces, with the project for X-Project-Id', () => {
		const credential = readOcrCredential({
			...endpoints,
			authentication: 'accessKey',
			accessKey: ' AK1 ',
			secretKey: 'sk-1\n',
			// Fields of another method stay stored; they are not used.
			securityToken: 'left over',
		});
		expect(credential.auth).toEqual({
			method: 'accessKey',
			key: { accessKey: 'AK1', secretKey: 'sk-1', projectId: '0a1b2c3d' },
		});
	});

	it('reads a temporary access key with its security token', () => {
		const credential = readOcrCredential({
			...endpoints,
			authentication: 'temporaryAccessKey',
			accessKey: 'AK2',
			secretKey: 'sk-2',
			securityToken: 'token-2',
		});
		expect(credential.auth).toEqual({
			method: 'temporaryAccessKey',
			key: { accessKey: 'AK2', secretKey: 'sk-2', projectId: '0a1b2c3d', securityToken: 'token-2' },
		});
	});

	it.each([
		[{ authentication: 'accessKey', secretKey: 's' }, 'The credential has no Access Key ID'],
		[
			{ authentication: 'accessKey', accessKey: 'a', secretKey: '  ' },
			'The credential has no Secret Access Key',
		],
		[
			{ authentication: 'temporaryAccessKey', accessKey: 'a', secretKey: 's' },
			'The credential has no Security Token',
		],
		[
			{ authentication: 'oauth' },
			'The credential\'s Authentication "oauth" is not one this node knows',
		],
		[{ projectId: '' }, 'The credential has no Project ID'],
		[
			{ cloud: 'custom', customOcrEndpoint: 'x', customRegion: 'r' },
			'The credential has no IAM Endpoint',
		],
	])('names what is missing in %j', (fields, message) => {
		expect(() => readOcrCredential({ ...endpoints, ...fields })).toThrow(message);
	});

	it('needs no IAM endpoint for access keys on custom endpoints: they never sign in to IAM', () => {
		const credential = readOcrCredential({
			cloud: 'custom',
			customOcrEndpoint: 'http://127.0.0.1:1',
			customRegion: 'r',
			projectId: 'p',
			authentication: 'accessKey',
			accessKey: 'AK',
			secretKey: 'sk',
		});
		expect(credential.profile.iamBaseUrl).toBe('');
		expect(credential.auth.method).toBe('accessKey');
	});
});
