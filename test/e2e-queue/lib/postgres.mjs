/**
 * A throwaway PostgreSQL cluster: initdb into a folder of the run, pg_ctl as the postgres user, a
 * free loopback port, trust authentication (loopback only, test data only), one database for n8n.
 * psql runs the queries.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { freePort } from '../../e2e/lib/n8nServer.mjs';
import { runCapture } from '../../e2e/lib/process.mjs';
import { postgresBinDir } from './debianPackages.mjs';

export const DATABASE = 'n8n';
const USER = 'n8n';

async function postgresAccount() {
	const id = async (flag) =>
		Number((await runCapture('id', [flag, 'postgres'], { timeoutMs: 5000 })).stdout.trim());
	return { uid: await id('-u'), gid: await id('-g') };
}

function postmasterPid(dataDir) {
	const file = path.join(dataDir, 'postmaster.pid');
	if (!existsSync(file)) return undefined;
	const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
	return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function processAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * Creates and starts the cluster under `folder` (made traversable for the postgres user) and
 * registers its stop with `teardown`.
 * @returns `{ port, env, query(sql), queryJson(sql) }`; `env` holds n8n's DB_* settings
 */
export async function startPostgres({ folder, teardown }) {
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL is not installed');
	const { uid, gid } = await postgresAccount();
	chmodSync(path.dirname(folder), 0o755);
	mkdirSync(folder, { recursive: true });
	chownSync(folder, uid, gid);
	const dataDir = path.join(folder, 'data');
	const logFile = path.join(folder, 'postgres.log');
	const asPostgres = (tool, args, timeoutMs) =>
		runCapture('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], {
			cwd: folder,
			timeoutMs,
		});

	await asPostgres(
		'initdb',
		['-D', dataDir, '-U', USER, '-A', 'trust', '-E', 'UTF8', '--no-locale'],
		120_000,
	);
	const port = await freePort();
	const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${folder}`;
	teardown.add('postgresql', {
		stop: () =>
			asPostgres('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '20', 'stop'], 30_000),
		kill: () => {
			const pid = postmasterPid(dataDir);
			if (pid) process.kill(pid, 'SIGQUIT');
		},
		isGone: () => {
			const pid = postmasterPid(dataDir);
			return pid === undefined || !processAlive(pid);
		},
	});
	await asPostgres(
		'pg_ctl',
		['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start'],
		90_000,
	);

	const psql = (database, sql) =>
		runCapture(
			path.join(bin, 'psql'),
			[
				'-X',
				'-A',
				'-t',
				'-q',
				'-v',
				'ON_ERROR_STOP=1',
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				USER,
				'-d',
				database,
				'-c',
				sql,
			],
			{ timeoutMs: 60_000 },
		).then((result) => result.stdout);
	await psql('postgres', `CREATE DATABASE ${DATABASE}`);

	return {
		port,
		logFile,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: DATABASE,
			DB_POSTGRESDB_USER: USER,
			DB_POSTGRESDB_PASSWORD: '',
		},
		query: (sql) => psql(DATABASE, sql),
		/** Rows of `sql` as objects, through json_agg. */
		queryJson: async (sql) =>
			JSON.parse(await psql(DATABASE, `SELECT coalesce(json_agg(q), '[]'::json) FROM (${sql}) q`)),
	};
}
