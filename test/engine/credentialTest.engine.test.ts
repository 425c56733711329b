import { PassportOcr } from '../../nodes/PassportOcr/PassportOcr.node';
import { HuaweiCloudOcrApi } from '../../credentials/HuaweiCloudOcrApi.credentials';
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator';
import { runCredentialTest } from './credentialTestRunner';
import { CredentialsStore } from './credentialsStore';
import { emulatorCredential } from './passportOcrTestbed';

async function pressTest(options: EmulatorOptions, overrides: Record<string, string> = {}) {
	const emulator: Emulator = await startEmulator(options);
	try {
		const store = new CredentialsStore(
			[new HuaweiCloudOcrApi()],
			[
				{
					id: 'c1',
					name: 'OCR',
					type: 'huaweiCloudOcrApi',
					data: { ...emulatorCredential(emulator), ...overrides },
				},
			],
		);
		const result = await runCredentialTest(store, 'c1', new PassportOcr());
		return { result, emulator, stored: store.read('c1').data };
	} finally {
		await emulator.close();
	}
}

const disabled = {
	accounts: [
		{
			domain: 'acme',
			user: 'bot',
			password: 'pw-1',
			projects: [{ id: 'p1', region: 'ap-southeast-1', passportEnabled: false }],
		},
	],
};

describe('the credential Test button', () => {
	it('passes when sign-in, project and Passport subscription all work, without a billable recognition', async () => {
		const { result, emulator } = await pressTest({});
		expect(result).toEqual({
			status: 'OK',
			message: 'Connection successful: signed in, and Passport OCR accepts the project',
		});
		expect(emulator.logins()).toBe(1);
		const [probe] = emulator.log.filter((entry) => entry.kind === 'ocr');
		expect(probe).toMatchObject({ status: 400, errorCode: 'AIS.0101' });
	});

	it.each([
		[
			'a wrong password',
			{},
			{ password: 'nope' },
			/^Sign-in failed: check the IAM user name, the password and the account name/,
		],
		['a wrong account name', {}, { domainName: 'other' }, /^Sign-in failed/],
		['an unknown project', {}, { projectId: 'f00' }, /^The account has no project with ID f00/],
		[
			'Passport not enabled',
			disabled,
			{},
			/^Passport OCR is not enabled in region ap-southeast-1 of Custom: enable "Passport" in the OCR console/,
		],
		[
			'an unreachable IAM endpoint',
			{},
			{ customIamEndpoint: 'http://127.0.0.1:9' },
			/^Could not reach the IAM endpoint/,
		],
	])('says what is wrong for %s', async (_, options, overrides, message) => {
		const { result } = await pressTest(options, overrides);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain('pw-1');
		expect(result.message).not.toContain('emulator-pass');
	});

	it('says the project belongs to another region when the OCR endpoint rejects the token', async () => {
		const { result } = await pressTest(
			{
				region: 'ap-southeast-2',
				accounts: [
					{
						domain: 'acme',
						user: 'bot',
						password: 'pw-1',
						projects: [
							{ id: 'p-bangkok', region: 'ap-southeast-2', passportEnabled: true },
							{ id: 'p-hongkong', region: 'ap-southeast-1', passportEnabled: true },
						],
					},
				],
			},
			{ projectId: 'p-hongkong' },
		);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/expired or belongs to another region/);
	});

	it('always signs in with the details as they are now, whatever token is stored', async () => {
		const emulator = await startEmulator({});
		try {
			const saved = emulatorCredential(emulator);
			const store = new CredentialsStore(
				[new HuaweiCloudOcrApi()],
				[{ id: 'c1', name: 'OCR', type: 'huaweiCloudOcrApi', data: saved }],
			);
			expect(await runCredentialTest(store, 'c1', new PassportOcr())).toMatchObject({
				status: 'OK',
			});
			// A token n8n kept from before the user edited the password decides nothing.
			const stored = store.read('c1');
			store.save({ ...stored, data: { ...stored.data, iamToken: 'MIIold', password: 'typo' } });
			const edited = await runCredentialTest(store, 'c1', new PassportOcr());
			expect(edited.status).toBe('Error');
			expect(edited.message).toMatch(
				/^Sign-in failed: check the IAM user name, the password and the account name/,
			);
			expect(edited.message).not.toContain('typo');
			store.save({ ...stored, data: { ...stored.data, password: saved.password } });
			expect(await runCredentialTest(store, 'c1', new PassportOcr())).toMatchObject({
				status: 'OK',
			});
			expect(emulator.logins()).toBe(3);
		} finally {
			await emulator.close();
		}
	});
});
