/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * One benchmark run in a process of its own, so that its memory figures start clean: the batch goes through
 * n8n-core's WorkflowExecute (the engine harness the engine tests use), Start → node, binaries in the mode the
 * spec names (memory is n8n 1.x's default, filesystem n8n 2.x's), with Continue On Fail so that failed items are counted, not thrown.
 */
import type { INodeParameters, INodeType } from 'n8n-workflow';

import { HuaweiCloudOcrApi } from '../credentials/HuaweiCloudOcrApi.credentials';
import { PassportOcr } from '../nodes/PassportOcr/PassportOcr.node';
import { CREDENTIAL_TYPE } from '../nodes/PassportOcr/contract/credentialType';
import { DEFAULT_ACCOUNT } from '../test/emulator';
import { CredentialsStore } from '../test/engine/credentialsStore';
import {
	START_NODE_TYPE,
	StartNode,
	chain,
	runWorkflow,
	type InputItem,
	type WorkflowRun,
} from '../test/engine/harness';
import { BareClientNode } from './bareClientNode';
import { averageBytes, makeImageSet, type BenchImage } from './benchImages';
import type { ScenarioCommand, ScenarioMessage, ScenarioResult, ScenarioSpec } from './messages';
import { OneAtATimeNode } from './oneAtATimeNode';

const NODE_NAME = 'Passport OCR';
const CREDENTIAL_ID = 'bench';

/** When it was read, RSS, and CPU time of all the process's threads so far (ms). */
type Sample = [time: number, rss: number, cpuMs: number];

/** Samples every 20 ms; reading RSS costs a system call, so not much more often. */
function sampleProcess(): { samples: Sample[]; stop: () => void } {
	const samples: Sample[] = [];
	const read = () => {
		const { user, system } = process.cpuUsage();
		samples.push([Date.now(), process.memoryUsage.rss(), (user + system) / 1000]);
	};
	read();
	const timer = setInterval(read, 20);
	return { samples, stop: () => clearInterval(timer) };
}

function nodeUnderTest(spec: ScenarioSpec): {
	type: string;
	node: INodeType;
	parameters: INodeParameters;
} {
	const { concurrency } = spec;
	if (spec.node === 'passportOcr') {
		const parameters = {
			inputSource: 'binary',
			binaryPropertyName: 'data',
			options: { concurrency },
		};
		return { type: 'n8n-nodes-passport-ocr.passportOcr', node: new PassportOcr(), parameters };
	}
	if (spec.node === 'floorNodeHttp' || spec.node === 'floorN8nHelper') {
		const client = spec.node === 'floorNodeHttp' ? 'node' : 'n8n';
		return {
			type: 'bench.bareClient',
			node: new BareClientNode(),
			parameters: { concurrency, client },
		};
	}
	return { type: 'bench.oneAtATime', node: new OneAtATimeNode(), parameters: {} };
}

/** The emulator's default account, as a saved credential with no token yet. */
function credentialStore(spec: ScenarioSpec): CredentialsStore {
	const data = {
		cloud: 'custom',
		customOcrEndpoint: spec.baseUrl,
		customIamEndpoint: spec.baseUrl,
		customRegion: spec.region,
		customEdition: spec.edition,
		projectId: DEFAULT_ACCOUNT.projects[0].id,
		domainName: DEFAULT_ACCOUNT.domain,
		userName: DEFAULT_ACCOUNT.user,
		password: DEFAULT_ACCOUNT.password,
		iamToken: '',
	};
	return new CredentialsStore(
		[new HuaweiCloudOcrApi()],
		[{ id: CREDENTIAL_ID, name: 'Bench', type: CREDENTIAL_TYPE, data }],
	);
}

function summarise(run: WorkflowRun, samples: Sample[]) {
	const task = run.run.data.resultData.runData[NODE_NAME][0];
	const ended = task.startTime + task.executionTime;
	const before = samples.filter(([time]) => time <= task.startTime).pop() ?? samples[0];
	const during = samples.filter(([time]) => time >= task.startTime && time <= ended);
	const peak = Math.max(before[1], ...during.map(([, rss]) => rss));
	const cpuMs = (during.at(-1) ?? before)[2] - before[2];
	const errorCodes: Record<string, number> = {};
	const items = run.outputItems(NODE_NAME);
	for (const { json } of items) {
		const code = json.error_code ?? (json.error === undefined ? undefined : 'ERROR');
		if (code !== undefined) errorCodes[String(code)] = (errorCodes[String(code)] ?? 0) + 1;
	}
	const failed = Object.values(errorCodes).reduce((sum, count) => sum + count, 0);
	return {
		nodeMs: task.executionTime,
		rssBefore: before[1],
		growth: peak - before[1],
		cpuMs,
		items,
		failed,
		errorCodes,
	};
}

function batchInput(images: BenchImage[], count: number): InputItem[] {
	return Array.from({ length: count }, (_, index) => {
		const image = images[index % images.length];
		return {
			json: { file: image.fileName },
			binary: { data: { bytes: image.bytes, fileName: image.fileName, mimeType: 'image/jpeg' } },
		};
	});
}

/** One execution, Start → node, with a credential of its own that holds no token yet. */
async function runBatch(
	spec: ScenarioSpec,
	input: InputItem[],
	onEngineStart?: () => void,
): Promise<WorkflowRun> {
	const { type, node, parameters } = nodeUnderTest(spec);
	return await runWorkflow({
		nodeTypes: { [START_NODE_TYPE]: new StartNode(), [type]: node },
		nodes: [
			{ name: 'Start', type: START_NODE_TYPE },
			{
				name: NODE_NAME,
				type,
				parameters,
				credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'Bench' } },
				onError: 'continueRegularOutput',
			},
		],
		connections: chain('Start', NODE_NAME),
		input,
		credentials: credentialStore(spec),
		binaryDataMode: spec.binaryMode,
		onEngineStart,
	});
}

const nextCommand = async (): Promise<ScenarioCommand> =>
	await new Promise((resolve) => process.once('message', resolve));

/**
 * A small unmeasured batch first, so the measured one runs in a warm process, as a long-running n8n does;
 * then, once the parent has read the service's counters, the measured batch. No garbage collection is forced in
 * between: a full collection forced from script leaves V8 with so tight a heap limit that it marks without a
 * break through the whole batch (about 75 full collections instead of 10, twice the CPU per item, 4 to 8 points
 * of throughput), a state that n8n, which never forces one, does not get into.
 */
async function runScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
	const images = makeImageSet(spec.images);
	await runBatch(spec, batchInput(images, Math.max(16, 2 * spec.concurrency)));
	process.send?.({ type: 'warmed' } satisfies ScenarioMessage);
	await nextCommand();
	const input = batchInput(images, spec.items);
	const measuring: { sampling?: ReturnType<typeof sampleProcess> } = {};
	const run = await runBatch(spec, input, () => (measuring.sampling = sampleProcess()));
	const { sampling } = measuring;
	if (sampling === undefined) throw new Error('The engine never started');
	sampling.stop();
	const summary = summarise(run, sampling.samples);
	return {
		name: spec.name,
		items: summary.items.length,
		succeeded: summary.items.length - summary.failed,
		failed: summary.failed,
		nodeMs: summary.nodeMs,
		rssBeforeBytes: summary.rssBefore,
		peakRssGrowthBytes: summary.growth,
		cpuMs: summary.cpuMs,
		averageImageBytes: averageBytes(images),
		errorCodes: summary.errorCodes,
	};
}

void runScenario(JSON.parse(process.argv[2]) as ScenarioSpec).then(
	(result) =>
		process.send?.({ type: 'result', result } satisfies ScenarioMessage, () => process.exit(0)),
	(error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	},
);
