/**
 * Where the service lives: the one table of clouds and regions. The credential's fields, the token request and
 * the OCR request all derive their URLs and limits from here.
 */

export type Cloud = 'huaweiCloud' | 'huaweiCloudChina' | 'g42Cloud' | 'custom';

/** Which edition of the API a deployment runs; the editions differ in limits and options. */
export type Edition = 'huawei' | 'g42';

export interface RegionChoice {
	/** Region ID, also the IAM project name of that region. */
	id: string;
	label: string;
	/** The OCR endpoint page lists Passport for this region. */
	servesPassport: boolean;
}

interface CloudDefinition {
	label: string;
	edition: Edition;
	/** Name of the credential field that holds this cloud's region. */
	regionField: string;
	regions: RegionChoice[];
	ocrHost: (region: string) => string;
	iamHost: (region: string) => string;
}

const huaweiHost = (service: string) => (region: string) =>
	`https://${service}.${region}.myhuaweicloud.com`;

export const CLOUDS: Record<Exclude<Cloud, 'custom'>, CloudDefinition> = {
	huaweiCloud: {
		label: 'Huawei Cloud (International)',
		edition: 'huawei',
		regionField: 'huaweiCloudRegion',
		regions: [
			{ id: 'ap-southeast-1', label: 'CN-Hong Kong (ap-southeast-1)', servesPassport: true },
			{ id: 'ap-southeast-2', label: 'AP-Bangkok (ap-southeast-2)', servesPassport: true },
			{ id: 'ap-southeast-3', label: 'AP-Singapore (ap-southeast-3)', servesPassport: false },
			{ id: 'af-south-1', label: 'AF-Johannesburg (af-south-1)', servesPassport: false },
			{ id: 'la-south-2', label: 'LA-Santiago (la-south-2)', servesPassport: false },
			{ id: 'la-north-2', label: 'LA-Mexico City2 (la-north-2)', servesPassport: false },
		],
		ocrHost: huaweiHost('ocr'),
		iamHost: huaweiHost('iam'),
	},
	huaweiCloudChina: {
		label: 'Huawei Cloud (Chinese Mainland)',
		edition: 'huawei',
		regionField: 'huaweiCloudChinaRegion',
		regions: [
			{ id: 'cn-north-4', label: 'CN North-Beijing4 (cn-north-4)', servesPassport: true },
			{ id: 'cn-north-1', label: 'CN North-Beijing1 (cn-north-1)', servesPassport: false },
			{ id: 'cn-east-3', label: 'CN East-Shanghai1 (cn-east-3)', servesPassport: false },
			{ id: 'cn-south-1', label: 'CN South-Guangzhou (cn-south-1)', servesPassport: false },
			{
				id: 'cn-southwest-2',
				label: 'CN Southwest-Guiyang1 (cn-southwest-2)',
				servesPassport: false,
			},
		],
		ocrHost: huaweiHost('ocr'),
		iamHost: huaweiHost('iam'),
	},
	g42Cloud: {
		label: 'G42 Cloud',
		edition: 'g42',
		regionField: 'g42CloudRegion',
		regions: [{ id: 'ae-ad-1', label: 'ME-Abu Dhabi (ae-ad-1)', servesPassport: true }],
		ocrHost: (region) => `https://ocr.${region}.g42cloud.com`,
		iamHost: (region) => `https://iam.${region}.g42cloud.com`,
	},
};

interface EditionLimits {
	/** Longest allowed image side in pixels. */
	maxSidePx: number;
	/** Whether the request body may carry `country_code`. */
	supportsRecognizer: boolean;
}

/**
 * The current Huawei docs and SDKs allow 8192 px; the ae-ad-1 (G42) edition still says 4096 px and documents
 * only `image` and `url` in the body.
 */
export const EDITIONS: Record<Edition, EditionLimits & { label: string }> = {
	huawei: { label: 'Huawei Cloud', maxSidePx: 8192, supportsRecognizer: true },
	g42: { label: 'G42 Cloud', maxSidePx: 4096, supportsRecognizer: false },
};

/** The credential fields this module reads; all of them are plain strings in the stored credential. */
export interface EndpointSettings {
	cloud?: unknown;
	huaweiCloudRegion?: unknown;
	huaweiCloudChinaRegion?: unknown;
	g42CloudRegion?: unknown;
	customRegion?: unknown;
	customOcrEndpoint?: unknown;
	customIamEndpoint?: unknown;
	customEdition?: unknown;
}

/** Everything a request needs to know about where it goes and what the deployment accepts. */
export interface ServiceProfile extends EditionLimits {
	cloud: Cloud;
	cloudLabel: string;
	edition: Edition;
	region: string;
	ocrBaseUrl: string;
	iamBaseUrl: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * Resolves the credential's cloud and region into endpoints and limits.
 * @throws Error when a field it needs is empty; the message names the field as the editor shows it.
 */
export function resolveServiceProfile(settings: EndpointSettings): ServiceProfile {
	const cloud = text(settings.cloud) as Cloud;
	if (cloud === 'custom') {
		const edition: Edition = text(settings.customEdition) === 'g42' ? 'g42' : 'huawei';
		const profile = {
			cloud,
			cloudLabel: 'Custom',
			edition,
			region: text(settings.customRegion),
			ocrBaseUrl: withoutTrailingSlash(text(settings.customOcrEndpoint)),
			iamBaseUrl: withoutTrailingSlash(text(settings.customIamEndpoint)),
			maxSidePx: EDITIONS[edition].maxSidePx,
			supportsRecognizer: EDITIONS[edition].supportsRecognizer,
		};
		if (!profile.ocrBaseUrl) throw new Error('The credential has no OCR Endpoint');
		if (!profile.region) throw new Error('The credential has no Region');
		return profile;
	}
	const definition = CLOUDS[cloud as Exclude<Cloud, 'custom'>];
	if (!definition) throw new Error(`The credential's Cloud "${cloud}" is not one this node knows`);
	const region = text(settings[definition.regionField as keyof EndpointSettings]);
	if (!region) throw new Error('The credential has no Region');
	return {
		cloud,
		cloudLabel: definition.label,
		edition: definition.edition,
		region,
		ocrBaseUrl: definition.ocrHost(region),
		iamBaseUrl: definition.iamHost(region),
		maxSidePx: EDITIONS[definition.edition].maxSidePx,
		supportsRecognizer: EDITIONS[definition.edition].supportsRecognizer,
	};
}

/** The phrase messages use for where a call went. */
export function describeLocation(profile: ServiceProfile): string {
	return `region ${profile.region} of ${profile.cloudLabel}`;
}
