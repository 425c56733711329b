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
		const result = await runCredentialTest(store, 'c1');
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
		const { result, emulator, stored } = await pressTest({});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(emulator.logins()).toBe(1);
		const [probe] = emulator.log.filter((entry) => entry.kind === 'ocr');
		expect(probe.status).toBeGreaterThanOrEqual(400);
		expect(stored.iamToken).toMatch(/^MII/);
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
			/^Passport OCR is not enabled in the selected region: enable "Passport" in the OCR console/,
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

	it('checks edited sign-in details although a token is stored, and stops using the old token', async () => {
		const emulator = await startEmulator({});
		try {
			const saved = emulatorCredential(emulator);
			const store = new CredentialsStore(
				[new HuaweiCloudOcrApi()],
				[{ id: 'c1', name: 'OCR', type: 'huaweiCloudOcrApi', data: saved }],
			);
			expect(await runCredentialTest(store, 'c1')).toMatchObject({ status: 'OK' });
			const stored = store.read('c1');
			expect(stored.data.iamToken).toMatch(/^MII/);

			// The user edits the password; n8n keeps the hidden token and binding as they were.
			store.save({ ...stored, data: { ...stored.data, password: 'typo' } });
			expect(await runCredentialTest(store, 'c1')).toEqual({
				status: 'Error',
				message: 'Sign-in failed: check the IAM user name, the password and the account name',
			});

			// Back to the right password: the stored token is current again and is used as it is.
			store.save({ ...stored, data: { ...stored.data, password: saved.password } });
			const logins = emulator.logins();
			expect(await runCredentialTest(store, 'c1')).toMatchObject({ status: 'OK' });
			expect(emulator.logins()).toBe(logins);
		} finally {
			await emulator.close();
		}
	});
});
