/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';

/**
 * How the engine keeps binary data during a run: `memory` is n8n's `default` mode (base64 inside the
 * item), `filesystem` stores files on disk and leaves only an `id` in the item.
 */
export type BinaryDataMode = 'memory' | 'filesystem';

type ServiceClass<T> = abstract new (...args: never[]) => T;

interface DiContainer {
	get<T>(service: ServiceClass<T>): T;
}

interface InstanceSettingsConfig {
	n8nFolder: string;
	userHome: string;
	encryptionKey: string;
}

interface SsrfProtectionConfig {
	enabled: boolean;
	allowedIpRanges: string[];
}

interface N8nConfigModule {
	InstanceSettingsConfig: ServiceClass<InstanceSettingsConfig>;
	SsrfProtectionConfig: ServiceClass<SsrfProtectionConfig>;
}

// n8n-core brings its own copies of @n8n/di and @n8n/config (newer than the hoisted ones). Services are
// registered in the copy n8n-core loads, so the container and config classes must come from there.
const requireFromCore = createRequire(require.resolve('n8n-core'));
const { Container } = requireFromCore('@n8n/di') as { Container: DiContainer };
const config = requireFromCore('@n8n/config') as N8nConfigModule;

const LOOPBACK_RANGES = ['127.0.0.0/8', '::1/128'];

const ENGINE_HOMES = join(tmpdir(), 'n8n-engine-harness');

let configured = false;

/**
 * Configures n8n-core's service container once per module load, before any service reads its
 * config: n8n's instance folder (settings file, binary storage) goes to a temp dir per process
 * instead of `~/.n8n`; SSRF protection is on, as on a hardened instance, with loopback allowed the
 * way an admin allows a private endpoint (`N8N_SSRF_ALLOWED_IP_RANGES`), so emulators on 127.0.0.1
 * are reachable and every other private address stays blocked.
 */
export function configureEngine(): void {
	if (configured) return;
	configured = true;
	const home = engineHome();

	const instance = Container.get(config.InstanceSettingsConfig);
	instance.userHome = home;
	instance.n8nFolder = join(home, '.n8n');
	instance.encryptionKey = 'engine-test-key';
	Container.get(BinaryDataConfig).localStoragePath = join(instance.n8nFolder, 'storage');

	const ssrf = Container.get(config.SsrfProtectionConfig);
	ssrf.enabled = true;
	ssrf.allowedIpRanges = [...ssrf.allowedIpRanges, ...LOOPBACK_RANGES];
}

/** Selects where the engine keeps binary data from now on, as `N8N_DEFAULT_BINARY_DATA_MODE` does. */
export async function useBinaryDataMode(mode: BinaryDataMode): Promise<void> {
	configureEngine();
	Container.get(BinaryDataConfig).mode = mode === 'filesystem' ? 'filesystem' : 'default';
	await Container.get(BinaryDataService).init();
}

/**
 * One folder per process, so parallel Jest workers never share files. Jest never emits `exit` to
 * test code, so folders of processes that have ended are removed on the next start instead.
 */
function engineHome(): string {
	mkdirSync(ENGINE_HOMES, { recursive: true });
	for (const entry of readdirSync(ENGINE_HOMES)) {
		if (!isRunning(Number(entry)))
			rmSync(join(ENGINE_HOMES, entry), { recursive: true, force: true });
	}
	const home = join(ENGINE_HOMES, String(process.pid));
	mkdirSync(home, { recursive: true });
	process.once('exit', () => rmSync(home, { recursive: true, force: true }));
	return home;
}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0); // signal 0 only checks that the process exists
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
