import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { authorizeRequest } from '../nodes/PassportOcr/transport/authorizeRequest';
import { credentialTestRequest } from '../nodes/PassportOcr/transport/credentialTest';
import { CLOUDS, EDITIONS } from '../nodes/PassportOcr/transport/endpoints';
import { httpCallFromHelper } from '../nodes/PassportOcr/transport/httpCall';
import { requestIamToken } from '../nodes/PassportOcr/transport/iamToken';
import {
	CREDENTIAL_TYPE,
	TOKEN_FIELD,
	readOcrCredential,
} from '../nodes/PassportOcr/transport/credentialSettings';

const regionField = (cloud: keyof typeof CLOUDS): INodeProperties => {
	const { regionField: name, regions } = CLOUDS[cloud];
	return {
		displayName: 'Region',
		name,
		type: 'options',
		options: regions.map((region) => ({
			name: region.servesPassport ? region.label : `${region.label}: Passport not listed here`,
			value: region.id,
		})),
		default: regions[0].id,
		description: 'The region where Passport OCR is enabled for your account',
		displayOptions: { show: { cloud: [cloud] } },
	};
};

const customOnly = { show: { cloud: ['custom'] } };

export class HuaweiCloudOcrApi implements ICredentialType {
	name = CREDENTIAL_TYPE;

	displayName = 'Huawei Cloud OCR API';

	icon: Icon = { light: 'file:huaweiCloudOcr.svg', dark: 'file:huaweiCloudOcr.dark.svg' };

	documentationUrl = 'https://github.com/passport-ocr/n8n-nodes-passport-ocr#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Cloud',
			name: 'cloud',
			type: 'options',
			options: [
				{ name: CLOUDS.huaweiCloud.label, value: 'huaweiCloud' },
				{ name: CLOUDS.huaweiCloudChina.label, value: 'huaweiCloudChina' },
				{ name: CLOUDS.g42Cloud.label, value: 'g42Cloud' },
				{ name: 'Custom Endpoints', value: 'custom' },
			],
			default: 'huaweiCloud',
			description: 'Where your account lives; this sets the OCR and IAM endpoints',
		},
		regionField('huaweiCloud'),
		regionField('huaweiCloudChina'),
		regionField('g42Cloud'),
		{
			displayName: 'OCR Endpoint',
			name: 'customOcrEndpoint',
			type: 'string',
			default: '',
			placeholder: 'https://ocr.example.internal',
			description: 'Base URL of the OCR service, without /v2/...',
			displayOptions: customOnly,
		},
		{
			displayName: 'IAM Endpoint',
			name: 'customIamEndpoint',
			type: 'string',
			default: '',
			placeholder: 'https://iam.example.internal',
			description: 'Base URL of the IAM service that issues tokens, without /v3/...',
			displayOptions: customOnly,
		},
		{
			displayName: 'Region',
			name: 'customRegion',
			type: 'string',
			default: '',
			placeholder: 'ap-southeast-1',
			description: 'Region ID of the deployment, shown in messages',
			displayOptions: customOnly,
		},
		{
			displayName: 'Service Edition',
			name: 'customEdition',
			type: 'options',
			options: [
				{ name: `${EDITIONS.huawei.label} (Images up to 8192 Px)`, value: 'huawei' },
				{ name: `${EDITIONS.g42.label} (Images up to 4096 Px)`, value: 'g42' },
			],
			default: 'huawei',
			description: 'Which edition of the OCR API the endpoint runs; it sets the image size limit',
			displayOptions: customOnly,
		},
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			required: true,
			description:
				'ID of the project for the region above. In the console: your account name (top right) > My Credentials > API Credentials, the row for that region.',
		},
		{
			displayName: 'Account Name',
			name: 'domainName',
			type: 'string',
			default: '',
			required: true,
			description:
				'The account (domain) that owns the IAM user, shown as Account Name on My Credentials. Not your email address.',
		},
		{
			displayName: 'IAM User Name',
			name: 'userName',
			type: 'string',
			default: '',
			required: true,
			description:
				'An IAM user of that account with OCR permissions. To sign in as the account itself, enter the account name again.',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "The IAM user's password",
		},
		{
			displayName: 'IAM Token',
			name: TOKEN_FIELD,
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const { signIn } = readOcrCredential(credentials);
		const { token } = await requestIamToken(httpCallFromHelper(this.helpers.httpRequest), signIn);
		return { [TOKEN_FIELD]: token };
	}

	authenticate = authorizeRequest;

	test: ICredentialTestRequest = credentialTestRequest;
}
