/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * The emulator in a process of its own, so that the benchmark's memory figures are the node's alone and the
 * service's work runs on the other core, as a remote service's would. Started by `runBench` over IPC.
 */
import { startEmulator } from '../test/emulator';
import { makeImageSet } from './benchImages';
import type { ServiceCommand, ServiceMessage, ServiceSpec } from './messages';

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

function send(message: ServiceMessage): void {
	process.send?.(message);
}

async function main(): Promise<void> {
	const spec = JSON.parse(process.argv[2]) as ServiceSpec;
	const emulator = await startEmulator({
		responseTimeMs: spec.responseTimeMs,
		rateLimitPerMinute: spec.rateLimitPerMinute,
	});
	for (const image of makeImageSet(spec.images)) {
		emulator.recordResult(image.bytes, image.specimen.result);
	}
	process.on('message', (command: ServiceCommand) => {
		if (command.type === 'stop') {
			void emulator.close().then(() => process.exit(0));
			return;
		}
		const statuses: Record<string, number> = {};
		for (const entry of emulator.log) {
			if (entry.kind === 'ocr')
				statuses[String(entry.status)] = (statuses[String(entry.status)] ?? 0) + 1;
		}
		send({
			type: 'stats',
			logins: emulator.logins(),
			ocrCalls: emulator.ocrCalls(),
			peakInFlight: emulator.ocrConcurrencyPeak(),
			statuses,
			cpuMs: cpuMs(process.cpuUsage()),
		});
	});
	send({
		type: 'ready',
		baseUrl: emulator.baseUrl,
		region: emulator.region,
		edition: emulator.edition,
	});
}

void main();
