/**
 * What the selected n8n release does differently, where it shows in the e2e checks. Every entry is a behaviour of
 * n8n itself, found by running the same workflows on each release; the README ("Supported n8n versions") lists
 * them for users. A check that depends on one says so in its name.
 */
import { N8N_VERSION } from './runtime.mjs';

const [major] = N8N_VERSION.split('.').map(Number);

export const N8N_DIFFERENCES = {
	/**
	 * Example nodes newer than the release: n8n 1.123 knows the Form Trigger up to version 2.3; the form example uses
	 * 2.5 (its `fieldName` keys for every field come with 2.4/2.5). The editor opens the workflow with that node
	 * marked unknown.
	 */
	unknownExampleNodes:
		major < 2
			? { 'passport-form-check.json': ['Passport upload (n8n-nodes-base.formTrigger v2.5)'] }
			: {},
};

export const differenceNote = (text) => ` (n8n ${N8N_VERSION}: ${text}; see README)`;
