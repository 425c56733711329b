/** Credentials in the shape `n8n import:credentials` reads: `[{ id, name, type, data }]`, data in plain text. */
import { EXAMPLE_CREDENTIAL_NAME, OCR_CREDENTIAL_TYPE } from './workflows.mjs';

/** The Huawei Cloud OCR credential with Custom endpoints pointing at the emulator. */
export function emulatorCredential(emulator, account, overrides = {}) {
	return {
		id: overrides.id ?? 'e2eOcrCredential01',
		name: overrides.name ?? EXAMPLE_CREDENTIAL_NAME,
		type: OCR_CREDENTIAL_TYPE,
		data: {
			cloud: 'custom',
			customOcrEndpoint: emulator.baseUrl,
			customIamEndpoint: emulator.baseUrl,
			customRegion: emulator.region,
			customEdition: emulator.edition,
			projectId: account.projects[0].id,
			domainName: account.domain,
			userName: account.user,
			password: overrides.password ?? account.password,
			iamToken: '',
		},
	};
}

export function smtpCredential(port) {
	return {
		id: 'e2eSmtpRecorder001',
		name: 'SMTP recorder',
		type: 'smtp',
		data: {
			user: '',
			password: '',
			host: '127.0.0.1',
			port,
			secure: false,
			disableStartTls: true,
		},
	};
}

/** An OpenAI credential whose base URL is the chat-model stub; the key is a placeholder the stub ignores. */
export function chatModelCredential(url) {
	return {
		id: 'e2eChatModelStub01',
		name: 'Chat model stub',
		type: 'openAiApi',
		data: { apiKey: 'stub-key', url },
	};
}
