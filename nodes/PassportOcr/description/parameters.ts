import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MIN_VALIDITY_MONTHS } from '../passport/passportChecks';

/**
 * What the editor shows. Parameter names are read back in `itemParameters.ts`, the only other place that knows
 * them.
 */
/** Input Source values; Binary File first, as most workflows pass a file. */
export const INPUT_SOURCES = ['binary', 'url', 'base64'] as const;

/** Recognizer values, the service's `country_code` (auto: not sent). */
export const RECOGNIZERS = ['auto', 'CHN', 'GENERAL'] as const;

/** PDF Pages values: the first page that holds a scan, or every such page (one output item each). */
export const PDF_PAGE_CHOICES = ['first', 'every'] as const;

export type PdfPages = (typeof PDF_PAGE_CHOICES)[number];

export const inputSourceProperties: INodeProperties[] = [
	{
		displayName: 'Input Source',
		name: 'inputSource',
		type: 'options',
		noDataExpression: true,
		// In the order users have their passports: a file first.
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description:
					'A file from an earlier node, such as a Form Trigger upload or an email attachment: an image, or a PDF with a scanned page',
			},
			{
				name: 'Image URL',
				value: 'url',
				description: 'A public link to an image (not a PDF); the OCR service downloads it itself',
			},
			{
				name: 'Base64',
				value: 'base64',
				description: 'The image or PDF as Base64 text, with or without a data:...;base64, prefix',
			},
		],
		default: 'binary',
		description: 'Where the passport image comes from',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		placeholder: 'data',
		hint: 'One output item per passport file. Name a field (data), several (attachment_0, attachment_1), a pattern (attachment_*; * is every file), or map a file or a list of files with an expression. If the item has no such field, every file it holds is read; logos, documents and PDFs without a scan are skipped and listed in skipped_files.',
		description:
			'Which file(s) of the input item to read: a binary field name, names separated by commas, a pattern with *, or a file object or list of files from an expression such as {{ $binary.attachment_1 }}. With Execution Logic v2 (files kept in the item), a path such as Passport_Scan or _files.attachment_0 also works. Files are read in order, numbered names in numeric order.',
		displayOptions: { show: { inputSource: ['binary'] } },
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/passport.jpg',
		description:
			'Public http(s) link to a JPEG, PNG, BMP or TIFF photo or scan of the passport data page, or a link to a file in Huawei Cloud Object Storage Service (OBS). The OCR service downloads it itself, so it must be reachable from the internet and answer with an image: a link to a PDF or a web page does not work. For a PDF, download it first (HTTP Request node) and use Binary File.',
		displayOptions: { show: { inputSource: ['url'] } },
	},
	{
		displayName: 'Base64 Image',
		name: 'base64Image',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		placeholder: '/9j/4AAQSkZJRgABAQ...',
		description:
			'The image file (JPEG, PNG, BMP or TIFF) or PDF scan encoded as Base64. A data:...;base64, prefix is removed.',
		displayOptions: { show: { inputSource: ['base64'] } },
	},
];

export const DEFAULT_CONFIDENCE_THRESHOLD = 0.9;

export const reviewProperties: INodeProperties[] = [
	{
		displayName: 'Needs Review Output',
		name: 'needsReviewOutput',
		type: 'boolean',
		default: false,
		noDataExpression: true,
		description:
			'Whether to add a second output, Needs Review, for items a person should look at: failed passport checks, low confidence, and images the service cannot read (blurred, too small, not a passport, a PDF without a scan). These go there with the reason, and the run goes on. Problems of setup (sign-in, subscription, endpoint) still stop the node, or become error items with Continue On Fail.',
	},
	{
		displayName: 'Minimum Confidence',
		name: 'confidenceThreshold',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: DEFAULT_CONFIDENCE_THRESHOLD,
		description:
			"An item whose lowest field confidence (0 to 1) is below this goes to Needs Review. Confidence is the service's own estimate, not a guarantee.",
		displayOptions: { show: { needsReviewOutput: [true] } },
	},
];

export const DEFAULT_TIMEOUT_SECONDS = 60;

/** Ten minutes: far more than any answer needs, and far within what a timer can hold (about 24.8 days). */
export const MAX_TIMEOUT_SECONDS = 600;

/** One hour of retries per image is already longer than any outage worth waiting out inside a workflow. */
export const MAX_RETRY_SECONDS = 3600;

export const DEFAULT_CONCURRENCY = 4;

export const MAX_CONCURRENCY = 32;

/** Long enough to wait out a per-minute rate limit, whose Retry-After can approach 60 s. */
export const DEFAULT_MAX_RETRY_SECONDS = 120;

export const optionProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
				default: DEFAULT_CONCURRENCY,
				description:
					'How many images are sent to the service at once. Results keep the input order. The service limits requests per minute for each user; when it throttles, the whole node slows down.',
			},
			{
				displayName: 'Keep Input Binary',
				name: 'keepInputBinary',
				type: 'boolean',
				default: true,
				description:
					'Whether to pass the input file on to the output, so later nodes can attach or store the scan. Each output item carries only the file it was read from.',
			},
			{
				displayName: 'Max Retry Time (Seconds)',
				name: 'maxRetrySeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_RETRY_SECONDS },
				default: DEFAULT_MAX_RETRY_SECONDS,
				description:
					"How long after an image's first try another try may still start (at most 3600). Throttling, server errors, timeouts and dropped connections are retried with growing waits and the service's Retry-After; errors a retry cannot fix fail at once. An image never takes longer than this plus one Timeout. 0 turns retries off.",
			},
			{
				displayName: 'Minimum Validity (Months)',
				name: 'minValidityMonths',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: DEFAULT_MIN_VALIDITY_MONTHS,
				description:
					'The passport must still be valid this many months from today, a common entry and onboarding rule; 0 only requires it not to be expired',
			},
			{
				displayName: 'PDF Pages',
				name: 'pdfPages',
				type: 'options',
				options: [
					{
						name: 'First Scanned Page',
						value: 'first',
						description:
							'Read the largest image on the first page that holds a scan; logos and small pictures are skipped',
					},
					{
						name: 'Every Scanned Page',
						value: 'every',
						description:
							"Read every page that holds a scan, one output item per page (for example a family's passports in one PDF)",
					},
				],
				default: 'first',
				description:
					'For PDF files: which scanned pages to read. Each output item says its page in pdf_page.',
			},
			{
				displayName: 'Recognizer',
				name: 'recognizer',
				type: 'options',
				options: [
					{
						name: 'Automatic',
						value: 'auto',
						description: 'The service picks the recognizer from the passport type it detects',
					},
					{
						name: 'Chinese Passport, All Fields',
						value: 'CHN',
						description: 'Reads every printed field of a Chinese passport (country code CHN)',
					},
					{
						name: 'MRZ Only',
						value: 'GENERAL',
						description: 'Reads only the two machine-readable lines at the bottom of the page',
					},
				],
				default: 'auto',
				description:
					'Which recognizer reads the page. Huawei Cloud only: G42 Cloud always picks automatically, so this is ignored there.',
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description:
					'Whether to return a simplified version of the response instead of the raw data',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
				default: DEFAULT_TIMEOUT_SECONDS,
				description:
					'How long one try may take from start to finish: connecting, signing in, sending the image and reading the whole answer (at most 600). URL images count their download time too.',
			},
		],
	},
];
