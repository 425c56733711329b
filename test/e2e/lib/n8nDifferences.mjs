/**
 * What the selected n8n release does differently, where it shows in the e2e checks. Every entry is a behaviour of
 * n8n itself, found by running the same workflows on each release; the README ("Supported n8n versions") lists
 * them for users. A check that depends on one says so in its name.
 */
import { N8N_VERSION } from './runtime.mjs';

const [major, minor] = N8N_VERSION.split('.').map(Number);
const atLeast = (wantMajor, wantMinor) =>
	major > wantMajor || (major === wantMajor && minor >= wantMinor);

export const N8N_DIFFERENCES = {
	/**
	 * n8n-core reads `preAuthenticationRetryStatusCode` from n8n 2.41 on. Before, a 401 answer makes n8n itself
	 * sign in again and resend that one request, before the node sees the 401. The results are the same; the node's
	 * single renewal for the whole run cannot take over, so each request in flight at the expiry signs in once.
	 */
	coreRenewsEachRequest: !atLeast(2, 41),
	/**
	 * n8n-workflow 1.x drops the `cause` of a NodeApiError built from an Error (a class field overwrites it), so
	 * the node cannot tell a failed sign-in from other failures: the run still fails, with "The request to the OCR
	 * service could not be made" as its message and the sign-in message as its description.
	 */
	errorCauseLost: major < 2,
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
