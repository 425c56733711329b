import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { authorizeRequest } from '../nodes/PassportOcr/credential/authorizeRequest';
import {
	AUTHENTICATION_METHODS,
	TOKEN_FIELD,
	type AuthenticationMethod,
} from '../nodes/PassportOcr/credential/credentialSettings';
import { CREDENTIAL_TYPE } from '../nodes/PassportOcr/contract/credentialType';
import { CLOUDS, EDITIONS } from '../nodes/PassportOcr/credential/endpoints';
import { signInForRequests } from '../nodes/PassportOcr/credential/preAuthentication';
import { TOKEN_BINDING_FIELD } from '../nodes/PassportOcr/credential/tokenBinding';

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

const shownFor = (...methods: AuthenticationMethod[]) => ({ show: { authentication: methods } });
const iamUserOnly = shownFor('iamUser');

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
			displayOptions: { show: { cloud: ['custom'], authentication: ['iamUser'] } },
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
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: Object.entries(AUTHENTICATION_METHODS).map(([value, name]) => ({ name, value })),
			default: 'iamUser',
			description:
				'IAM user: a password sign-in, renewed every 24 hours. Access key: requests signed with an AK/SK pair, which never expires mid-run and is what federated users have.',
		},
		{
			displayName: 'Account Name',
			name: 'domainName',
			type: 'string',
			default: '',
			required: true,
			description:
				'The account (domain) that owns the IAM user, shown as Account Name on My Credentials. Not your email address.',
			displayOptions: iamUserOnly,
		},
		{
			displayName: 'IAM User Name',
			name: 'userName',
			type: 'string',
			default: '',
			required: true,
			description:
				'An IAM user of that account with OCR permissions. To sign in as the account itself, enter the account name again.',
			displayOptions: iamUserOnly,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "The IAM user's password",
			displayOptions: iamUserOnly,
		},
		{
			displayName: 'Access Key ID',
			name: 'accessKey',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. HPUABCDEFGHIJKLMNOPQ',
			description:
				'The AK, from My Credentials > Access Keys (or the credentials.csv downloaded with it). Its user needs OCR permissions.',
			displayOptions: shownFor('accessKey', 'temporaryAccessKey'),
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The SK that belongs to the access key; it signs every request and is never sent',
			displayOptions: shownFor('accessKey', 'temporaryAccessKey'),
		},
		{
			displayName: 'Security Token',
			name: 'securityToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The security token issued with the temporary access key (securitytoken in the IAM answer). Temporary keys expire: replace all three values when they do.',
			displayOptions: shownFor('temporaryAccessKey'),
		},
		{
			displayName: 'IAM Token',
			name: TOKEN_FIELD,
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'IAM Token Binding',
			name: TOKEN_BINDING_FIELD,
			type: 'hidden',
			default: '',
		},
	];

	/**
	 * IAM user: signs in for a token. Access key: checks key, signature, clock, project and subscription with one
	 * signed call that carries no image, and stores a marker, so n8n checks again only when the node empties it.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await signInForRequests(this.helpers.httpRequest, credentials);
	}

	authenticate = authorizeRequest;
}
