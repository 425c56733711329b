/** What the benchmark's processes tell each other over their IPC channels. */
import type { ImageSetSpec } from './benchImages';

export interface ServiceSpec {
	/** The service's response time: from a request's arrival to its answer. */
	responseTimeMs: number;
	rateLimitPerMinute?: number;
	images: ImageSetSpec;
}

export interface ServiceStats {
	logins: number;
	ocrCalls: number;
	/** The most OCR requests the service had in progress at once. */
	peakInFlight: number;
	/** OCR answers by HTTP status. */
	statuses: Record<string, number>;
	/** CPU time of the service process since it started, all threads. */
	cpuMs: number;
}

export type ServiceMessage =
	| { type: 'ready'; baseUrl: string; region: string; edition: string }
	| ({ type: 'stats' } & ServiceStats);

export type ServiceCommand = { type: 'stats' } | { type: 'stop' };

/** One run of a node over a batch: ours at some concurrency, the one-at-a-time baseline, or the bare floor. */
export interface ScenarioSpec {
	name: string;
	node: 'passportOcr' | 'oneAtATime' | 'floorNodeHttp' | 'floorN8nHelper';
	items: number;
	concurrency: number;
	/** Where n8n keeps the items' files: in memory as Base64 (n8n 1.x's default) or on disk (2.x's). */
	binaryMode: 'memory' | 'filesystem';
	baseUrl: string;
	region: string;
	edition: string;
	images: ImageSetSpec;
}

export interface ScenarioResult {
	name: string;
	items: number;
	succeeded: number;
	failed: number;
	/** The node's own execution time, as n8n records it. */
	nodeMs: number;
	/** RSS just before the node started, and the most above it while it ran. */
	rssBeforeBytes: number;
	peakRssGrowthBytes: number;
	/** CPU time of the node's process while the batch ran, all threads (GC helpers included). */
	cpuMs: number;
	averageImageBytes: number;
	errorCodes: Record<string, number>;
}

export type ScenarioMessage = { type: 'warmed' } | { type: 'result'; result: ScenarioResult };

export type ScenarioCommand = { type: 'go' };
