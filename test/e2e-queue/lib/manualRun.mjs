/**
 * A manual execution as the editor starts it ("Execute workflow"): the owner signs in through the REST API and
 * posts `/rest/workflows/<id>/run`. In queue mode with OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true (the only
 * behaviour n8n 3.0 keeps) the main instance puts it on the queue and a worker runs it.
 */

import { restCall } from '../../e2e/lib/restApi.mjs';

/** A local-only account on a throwaway database; it guards nothing but test data. */
export const OWNER = {
	email: 'queue-owner@example.com',
	password: 'Queue-owner-1',
	firstName: 'Queue',
	lastName: 'Owner',
};
const BROWSER_ID = 'passport-ocr-e2e-queue';

async function call(baseUrl, route, options = {}) {
	const { response, text, json } = await restCall(baseUrl, route, {
		...options,
		browserId: BROWSER_ID,
		timeoutMs: 30_000,
	});
	if (!response.ok)
		throw new Error(
			`${options.method ?? 'GET'} /rest${route}: ${response.status} ${text.slice(0, 300)}`,
		);
	return { response, json };
}

/** Signs the owner in. @returns the cookie header to send with later calls */
export async function signIn(baseUrl) {
	const { response } = await call(baseUrl, '/login', {
		method: 'POST',
		body: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
	});
	const cookie = response.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.find((pair) => pair.startsWith('n8n-auth='));
	if (!cookie) throw new Error('the login answer set no n8n-auth cookie');
	return cookie;
}

/** Starts the workflow from `triggerName` as the editor's button does. @returns the execution ID */
export async function runManually(baseUrl, cookie, workflowId, triggerName) {
	const { json } = await call(baseUrl, `/workflows/${workflowId}/run`, {
		method: 'POST',
		cookie,
		body: { triggerToStartFrom: { name: triggerName } },
	});
	const executionId = json?.data?.executionId ?? json?.executionId;
	if (!executionId) throw new Error(`no execution started: ${JSON.stringify(json).slice(0, 300)}`);
	return String(executionId);
}

/**
 * n8n's own upgrade check (2.41: Settings -> "Breaking changes"): which of its rules for `version` ('v3' = n8n 3.0)
 * flag this instance or its workflows. @returns `{ workflowRules, instanceRules }`, each `[{ ruleId, title, affected }]`
 */
export async function breakingChangesReport(baseUrl, cookie, version) {
	const { json } = await call(baseUrl, `/breaking-changes/report/refresh?version=${version}`, {
		method: 'POST',
		cookie,
	});
	const report = (json?.data ?? json)?.report ?? {};
	const workflowRules = [];
	for (const rule of report.workflowResults ?? []) {
		const detail = await call(baseUrl, `/breaking-changes/report/${rule.ruleId}`, { cookie });
		const affected = ((detail.json?.data ?? detail.json)?.affectedWorkflows ?? []).map(
			(w) => w.name ?? w.id,
		);
		workflowRules.push({ ruleId: rule.ruleId, title: rule.ruleTitle, affected });
	}
	const instanceRules = (report.instanceResults ?? []).map((rule) => ({
		ruleId: rule.ruleId,
		title: rule.ruleTitle,
		affected: (rule.instanceIssues ?? []).map((issue) => issue.title),
	}));
	return { workflowRules, instanceRules, currentVersion: report.currentVersion };
}
