/**
 * The example workflows as users import them, and the runnable variants the e2e suite derives from them. Each
 * variant changes only what cannot run headless (a Form Trigger, links to the public internet, outside
 * services), so the nodes under test keep the example's own parameters.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from './process.mjs';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** The credential name the examples refer to (they carry no credential ID). */
export const EXAMPLE_CREDENTIAL_NAME = 'Huawei Cloud OCR account';
export const OCR_CREDENTIAL_TYPE = 'huaweiCloudOcrApi';
export const NODE_TYPE = 'n8n-nodes-passport-ocr.passportOcr';
/** Links in the batch example's list point here; the suite points them at the emulator's file server. */
export const EXAMPLE_SCAN_BASE = 'https://example.com/passports/';

export function loadExamples() {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({
			file,
			workflow: JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')),
		}));
}

export function loadExample(file) {
	return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

const clone = (value) => JSON.parse(JSON.stringify(value));

export function findNode(workflow, name) {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`${workflow.name} has no node "${name}"`);
	return node;
}

/** The batch example with its scan links pointing at `fileBaseUrl` (ending in a slash). */
export function batchVariant(example, fileBaseUrl) {
	const workflow = clone(example);
	const list = findNode(workflow, 'Scan list');
	if (!list.parameters.jsonOutput.includes(EXAMPLE_SCAN_BASE)) {
		throw new Error(`Scan list holds no ${EXAMPLE_SCAN_BASE} links`);
	}
	list.parameters.jsonOutput = list.parameters.jsonOutput.replaceAll(
		EXAMPLE_SCAN_BASE,
		fileBaseUrl,
	);
	return workflow;
}

const FORM_NODE = 'Passport upload';

const node = (id, name, type, typeVersion, position, parameters) => ({
	id,
	name,
	type,
	typeVersion,
	position,
	parameters,
});

/**
 * The form example runnable by `n8n execute`: a Manual Trigger and a list of test submissions replace the Form
 * Trigger. Each submission's scan is downloaded into the binary field the form would fill, and a Set node named
 * like the Form Trigger gives the form's fields, so the example's expressions (`$('Passport upload')...`) and
 * every node after the trigger run unchanged. The CRM URL and the email credential are pointed at recorders.
 *
 * @param submissions `[{ surname, email, scanUrl }]`
 */
export function formVariant(example, { submissions, crmUrl, smtpCredential }) {
	const workflow = clone(example);
	const form = findNode(workflow, FORM_NODE);
	const fields = form.parameters.formFields.values;
	const fileField = fields.find((field) => field.fieldType === 'file').fieldName;
	const textFields = fields.filter((field) => field.fieldType !== 'file').map((f) => f.fieldName);
	const [x, y] = form.position;
	const replacement = [
		node('e2e-start', 'Start', 'n8n-nodes-base.manualTrigger', 1, [x - 880, y], {}),
		node('e2e-submissions', 'Test submissions', 'n8n-nodes-base.set', 3.4, [x - 660, y], {
			mode: 'raw',
			jsonOutput: JSON.stringify({ submissions }),
			options: {},
		}),
		node('e2e-split', 'One submission', 'n8n-nodes-base.splitOut', 1, [x - 440, y], {
			fieldToSplitOut: 'submissions',
			options: {},
		}),
		node('e2e-download', 'Download scan', 'n8n-nodes-base.httpRequest', 4.2, [x - 220, y], {
			url: '={{ $json.scanUrl }}',
			options: {
				response: { response: { responseFormat: 'file', outputPropertyName: fileField } },
			},
		}),
		node('e2e-form-fields', FORM_NODE, 'n8n-nodes-base.set', 3.4, [x, y], {
			assignments: {
				assignments: textFields.map((name, index) => ({
					id: `e2e-field-${index}`,
					name,
					value: `={{ $('One submission').item.json.${name} }}`,
					type: 'string',
				})),
			},
			// Keeps the downloaded file: Set passes binary data on only with the input's other fields.
			includeOtherFields: true,
			options: {},
		}),
	];
	workflow.nodes = [...workflow.nodes.filter((n) => n.name !== FORM_NODE), ...replacement];
	workflow.connections = {
		...workflow.connections,
		Start: { main: [[{ node: 'Test submissions', type: 'main', index: 0 }]] },
		'Test submissions': { main: [[{ node: 'One submission', type: 'main', index: 0 }]] },
		'One submission': { main: [[{ node: 'Download scan', type: 'main', index: 0 }]] },
		'Download scan': { main: [[{ node: FORM_NODE, type: 'main', index: 0 }]] },
	};
	findNode(workflow, 'Add contact to CRM').parameters.url = `${crmUrl}/api/contacts`;
	findNode(workflow, 'Ask for a new photo').credentials = {
		smtp: { id: smtpCredential.id, name: smtpCredential.name },
	};
	workflow.id = 'e2eFormCheck0001';
	workflow.name = `${workflow.name} (e2e)`;
	return workflow;
}

/** A workflow of `nodes` run one after the other from a Manual Trigger, the last a Passport OCR node. */
function chainWorkflow({ id, name, credential }, steps, ocrParameters) {
	const names = ['Start', ...steps.map((step) => step.name), 'Read passport'];
	const nodes = [
		node('c1', 'Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
		...steps,
		{
			...node('c9', 'Read passport', NODE_TYPE, 1, [220 * names.length - 220, 0], ocrParameters),
			credentials: { [OCR_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
		},
	];
	const connections = {};
	for (let i = 0; i + 1 < names.length; i++)
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections,
		pinData: {},
	};
}

/** Manual Trigger → Passport OCR reading one URL, with the given credential and no Continue On Fail. */
export function singleReadWorkflow({ id, name, imageUrl, credential }) {
	return chainWorkflow({ id, name, credential }, [], { inputSource: 'url', imageUrl, options: {} });
}

/**
 * A PDF downloaded by an HTTP Request node and read as a binary file, with the Needs Review output on (an image
 * the service cannot read goes there with its page and note).
 */
export function pdfReadWorkflow({ id, name, pdfUrl, credential }) {
	const download = node('c2', 'Download PDF', 'n8n-nodes-base.httpRequest', 4.2, [220, 0], {
		url: pdfUrl,
		options: { response: { response: { responseFormat: 'file' } } },
	});
	return chainWorkflow({ id, name, credential }, [download], {
		inputSource: 'binary',
		needsReviewOutput: true,
		options: {},
	});
}

const CHAT_TRIGGER = 'When chat message received';

/**
 * The AI agent example runnable by `n8n execute`: a Manual Trigger and a Set node giving `chatInput` replace the
 * Chat Trigger, and the chat model's credential points at a stub that calls the tool.
 */
export function agentVariant(example, { question, modelCredential }) {
	const workflow = clone(example);
	const chat = findNode(workflow, CHAT_TRIGGER);
	const [x, y] = chat.position;
	workflow.nodes = [
		...workflow.nodes.filter((n) => n.name !== CHAT_TRIGGER),
		node('e2e-start', 'Start', 'n8n-nodes-base.manualTrigger', 1, [x - 220, y], {}),
		node('e2e-question', CHAT_TRIGGER, 'n8n-nodes-base.set', 3.4, [x, y], {
			assignments: {
				assignments: [{ id: 'e2e-chat-input', name: 'chatInput', value: question, type: 'string' }],
			},
			options: {},
		}),
	];
	workflow.connections = {
		...workflow.connections,
		Start: { main: [[{ node: CHAT_TRIGGER, type: 'main', index: 0 }]] },
	};
	findNode(workflow, 'OpenAI Chat Model').credentials = {
		openAiApi: { id: modelCredential.id, name: modelCredential.name },
	};
	workflow.id = 'e2eAiAgentTool01';
	workflow.name = `${workflow.name} (e2e)`;
	return workflow;
}

export const MULTI_FILE_FORM_EXAMPLE = 'passport-form-multi-file.json';

/**
 * The multi-file form example as it is, with its CRM link pointed at `crmUrl` and a webhook of its own. It runs
 * in a real n8n server: the suite publishes it and posts a real form submission to it. (With Execution Logic v2,
 * n8n 2.41 cannot publish a Form Trigger: evaluating its webhook path fails with "Node ... hasn't been executed";
 * the suite runs Execution Logic v2 with `n8n execute` instead.)
 */
export function multiFileFormVariant(example, { id, webhookId, crmUrl }) {
	const workflow = clone(example);
	workflow.id = id;
	workflow.name = `${workflow.name} (e2e)`;
	const form = workflow.nodes.find((candidate) => candidate.type === 'n8n-nodes-base.formTrigger');
	form.webhookId = webhookId;
	findNode(workflow, 'Add traveller to CRM').parameters.url = crmUrl;
	return workflow;
}

/**
 * A workflow with Execution Logic v2 (n8n 2.x's `combined` binary mode), run by `n8n execute`: each scan is
 * downloaded as a file, and Aggregate gathers the items into one, so the files sit in that item's JSON, in a list
 * (`scans[0]._files.data`, ...). Passport OCR keeps its default Input Binary Field, `data`.
 */
export function executionLogicV2Workflow({ id, scanUrls, credential }) {
	const names = [
		'Start',
		'Scan links',
		'One link',
		'Download scan',
		'One item with every scan',
		'Read passports',
	];
	const connections = {};
	names.slice(0, -1).forEach((name, index) => {
		connections[name] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	});
	return {
		id,
		name: 'Passport OCR: files in the item JSON with Execution Logic v2 (e2e)',
		active: false,
		settings: { executionOrder: 'v1', binaryMode: 'combined' },
		nodes: [
			node('v2-1', names[0], 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}),
			node('v2-2', names[1], 'n8n-nodes-base.set', 3.4, [220, 0], {
				mode: 'raw',
				jsonOutput: JSON.stringify({ links: scanUrls }),
				options: {},
			}),
			node('v2-3', names[2], 'n8n-nodes-base.splitOut', 1, [440, 0], {
				fieldToSplitOut: 'links',
				options: {},
			}),
			node('v2-4', names[3], 'n8n-nodes-base.httpRequest', 4.2, [660, 0], {
				url: '={{ $json.links }}',
				options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
			}),
			node('v2-5', names[4], 'n8n-nodes-base.aggregate', 1, [880, 0], {
				aggregate: 'aggregateAllItemData',
				destinationFieldName: 'scans',
				options: {},
			}),
			{
				...node('v2-6', names[5], NODE_TYPE, 1, [1100, 0], { inputSource: 'binary', options: {} }),
				credentials: { [OCR_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			},
		],
		connections,
		pinData: {},
	};
}
