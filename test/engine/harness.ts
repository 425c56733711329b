import { randomUUID } from 'node:crypto';
import {
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	WorkflowExecute,
	prepareBinaryData,
} from 'n8n-core';
import {
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
	createRunExecutionData,
	sleep,
	type IBinaryKeyData,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type IWorkflowSettings,
	type JsonObject,
} from 'n8n-workflow';

import { CredentialsStore } from './credentialsStore';
import { useBinaryDataMode, type BinaryDataMode } from './engineContainer';

/** A workflow node: name and type are required, everything else as in n8n's workflow JSON. */
export type NodeSpec = Pick<INode, 'name' | 'type'> & Partial<Omit<INode, 'name' | 'type'>>;

/** A file handed to the first node; the engine stores it the way the selected binary mode does. */
export interface InputFile {
	bytes: Buffer;
	fileName: string;
	mimeType: string;
	/**
	 * In memory mode, the text the item holds instead of the bytes' own Base64, as a Code node may write it
	 * (with line breaks, say).
	 */
	heldText?: string;
}

export interface InputItem {
	json?: IDataObject;
	binary?: Record<string, InputFile>;
	/**
	 * Files inside the item's JSON under these keys, a file or a list of them, as n8n's Execution Logic v2
	 * (the `combined` binary mode) puts a Form Trigger's files.
	 */
	jsonFiles?: Record<string, InputFile | InputFile[]>;
}

export interface RunWorkflowOptions {
	/** Node type name → node type instance, e.g. `{ 'harness.start': new StartNode() }`. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** The first node receives `input`; a start node such as `StartNode` passes it on. */
	nodes: NodeSpec[];
	connections: IConnections;
	input?: InputItem[];
	/** Shared between runs, like n8n's database: a token saved by one run is reused by the next. */
	credentials?: CredentialsStore;
	binaryDataMode?: BinaryDataMode;
	settings?: IWorkflowSettings;
	/** Stops the execution after this long, as the editor's Stop button does. */
	cancelAfterMs?: number;
	/**
	 * Called once the input's files are stored, just before the engine starts: the bench starts measuring there,
	 * since storing a batch in memory mode (encoding it to Base64) is seconds of work that is not the node's.
	 */
	onEngineStart?: () => void;
}

export interface WorkflowRun {
	run: IRun;
	executionId: string;
	/** The whole run as n8n prints and stores it, for grepping (e.g. for secrets). */
	serialized: string;
	/** Items a node emitted on one of its outputs (0 = first), in its first run. */
	outputItems(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The node's error as n8n stores it in the execution, or undefined if it succeeded. */
	nodeError(nodeName: string): JsonObject | undefined;
}

export const START_NODE_TYPE = 'harness.start';

/** Passes its input on, as n8n's Manual Trigger does with the data it is started with. */
export class StartNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Start',
		name: START_NODE_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Emits the items the harness starts the run with',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Connections for a straight line of nodes, each feeding the next through its first output. */
export function chain(...nodeNames: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 1; i < nodeNames.length; i++) {
		connections[nodeNames[i - 1]] = {
			main: [[{ node: nodeNames[i], type: NodeConnectionTypes.Main, index: 0 }]],
		};
	}
	return connections;
}

const WORKFLOW_ID = 'engine-harness';
const INSTANCE_URL = 'http://localhost:5678';

/**
 * Runs a workflow in n8n-core's `WorkflowExecute`, the way n8n runs a manual execution, and
 * resolves once the engine's `workflowExecuteAfter` hook has fired.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun> {
	await useBinaryDataMode(options.binaryDataMode ?? 'memory');
	const executionId = randomUUID();
	const workflowData = workflowBase(options);
	const workflow = new Workflow({ ...workflowData, nodeTypes: nodeTypesOf(options.nodeTypes) });
	const firstNode = workflow.getNode(workflowData.nodes[0].name);
	if (firstNode === null) throw new Error('A workflow needs at least one node');

	const items = await Promise.all(
		(options.input ?? [{}]).map(async (item) => await executionItem(item, executionId)),
	);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: firstNode, data: { main: [items] }, source: null }],
		},
	});

	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run));
	});
	const credentials = options.credentials ?? new CredentialsStore([]);
	const additionalData = additionalDataFor(hooks, credentials, executionId);
	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	options.onEngineStart?.();
	const running = execution.processRunExecutionData(workflow);
	const cancelling =
		options.cancelAfterMs === undefined
			? Promise.resolve()
			: sleep(options.cancelAfterMs).then(() => running.cancel());
	const [run] = await Promise.all([finished, running.catch(() => undefined), cancelling]);
	return workflowRun(run, executionId);
}

function workflowBase(options: RunWorkflowOptions): IWorkflowBase {
	const now = new Date();
	return {
		id: WORKFLOW_ID,
		name: 'Engine harness workflow',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: now,
		updatedAt: now,
		nodes: options.nodes.map((spec, index) => ({
			id: randomUUID(),
			typeVersion: 1,
			position: [index * 200, 0],
			parameters: {},
			...spec,
		})),
		connections: options.connections,
		settings: { executionOrder: 'v1', ...options.settings },
	};
}

function nodeTypesOf(types: RunWorkflowOptions['nodeTypes']): INodeTypes {
	const byName = (name: string): INodeType | IVersionedNodeType => {
		const type = types[name];
		if (type === undefined) throw new Error(`Unknown node type "${name}"`);
		return type;
	};
	return {
		getByName: byName,
		getByNameAndVersion: (name, version) => NodeHelpers.getVersionedNodeType(byName(name), version),
		getKnownTypes: () => ({}),
	};
}

/** Stores each input file through n8n's own `prepareBinaryData`, so ids and metadata are real. */
async function executionItem(item: InputItem, executionId: string): Promise<INodeExecutionData> {
	const binary: IBinaryKeyData = {};
	for (const [key, file] of Object.entries(item.binary ?? {})) {
		binary[key] = await prepareBinaryData(
			file.bytes,
			executionId,
			WORKFLOW_ID,
			file.fileName,
			file.mimeType,
		);
		if (file.heldText !== undefined && binary[key].id === undefined)
			binary[key].data = file.heldText;
	}
	const json: IDataObject = { ...item.json };
	for (const [key, files] of Object.entries(item.jsonFiles ?? {})) {
		const stored = await Promise.all(
			(Array.isArray(files) ? files : [files]).map(
				async (file) =>
					await prepareBinaryData(
						file.bytes,
						executionId,
						WORKFLOW_ID,
						file.fileName,
						file.mimeType,
					),
			),
		);
		json[key] = (Array.isArray(files) ? stored : stored[0]) as unknown as IDataObject;
	}
	return item.binary === undefined ? { json } : { json, binary };
}

function additionalDataFor(
	hooks: ExecutionLifecycleHooks,
	credentialsHelper: CredentialsStore,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	const unavailable = (feature: string) => async (): Promise<never> => {
		throw new Error(`${feature} is not available in the engine harness`);
	};
	return {
		hooks,
		credentialsHelper,
		executionId,
		workflowId: WORKFLOW_ID,
		currentNodeExecutionIndex: 0,
		externalSecretsProxy: new ExternalSecretsProxy(),
		variables: {},
		// n8n's default URLs: nothing listens there, but resume URLs given to expressions are parsed.
		instanceBaseUrl: `${INSTANCE_URL}/`,
		restApiUrl: `${INSTANCE_URL}/rest`,
		formBaseUrl: `${INSTANCE_URL}/form`,
		formWaitingBaseUrl: `${INSTANCE_URL}/form-waiting`,
		formTestBaseUrl: `${INSTANCE_URL}/form-test`,
		webhookBaseUrl: `${INSTANCE_URL}/webhook`,
		webhookWaitingBaseUrl: `${INSTANCE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${INSTANCE_URL}/webhook-test`,
		mcpBaseUrl: `${INSTANCE_URL}/mcp`,
		mcpTestBaseUrl: `${INSTANCE_URL}/mcp-test`,
		executeWorkflow: unavailable('Sub-workflow execution'),
		startRunnerTask: unavailable('The task runner'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => undefined,
	};
}

function workflowRun(run: IRun, executionId: string): WorkflowRun {
	const taskData = (nodeName: string) => {
		const task = run.data.resultData.runData[nodeName]?.[0];
		if (task === undefined) throw new Error(`Node "${nodeName}" did not run`);
		return task;
	};
	return {
		run,
		executionId,
		// Made when read: a bench batch of 500 in-memory images is larger than a string may be.
		get serialized() {
			return JSON.stringify(run);
		},
		outputItems: (nodeName, outputIndex = 0) => taskData(nodeName).data?.main[outputIndex] ?? [],
		nodeError: (nodeName) => {
			const { error } = taskData(nodeName);
			return error === undefined ? undefined : (JSON.parse(JSON.stringify(error)) as JsonObject);
		},
	};
}
