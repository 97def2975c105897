import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../../server/db/client';
import { seedDemoIfEmpty } from '../../server/db/seedDemo';

/**
 * Shared by the long suites: a built server process (optionally from a snapshot of build/ so
 * that a rebuild elsewhere cannot pull the files from under a 5-minute run), a throw-away
 * PostgreSQL database seeded with the demo organisation plus simulated workers, and an RSS sampler.
 */

export const adminPostgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Directory holding index.js of the built app; CARNET_LONG_BUILD points to a copy if wanted. */
export const buildDir = resolve(process.env.CARNET_LONG_BUILD ?? 'build');

export function log(message: string, data?: unknown): void {
	const line = `[long ${new Date().toISOString().slice(11, 19)}] ${message}${data === undefined ? '' : ' ' + JSON.stringify(data)}`;
	process.stdout.write(line + '\n');
}

export interface LongServer {
	url: string;
	port: number;
	child: ChildProcess;
	output(): string;
	stop(signal?: NodeJS.Signals): Promise<void>;
	rssMiB(): number | null;
}

export async function startServer(env: Record<string, string>, port: number, timeoutMs = 60_000): Promise<LongServer> {
	const entry = resolve(buildDir, 'index.js');
	if (!existsSync(entry)) throw new Error(`${entry} missing: run \`npx vite build\` first`);
	let output = '';
	const child = spawn(process.execPath, [entry], {
		cwd: process.cwd(),
		env: {
			PATH: process.env.PATH ?? '',
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: `http://127.0.0.1:${port}`,
			RETENTION_JOB: 'off',
			MIGRATIONS_DIR: resolve('server/db/migrations'),
			LOG_LEVEL: 'warn',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const keep = (chunk: Buffer) => {
		output += chunk;
		if (output.length > 200_000) output = output.slice(-100_000);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode}): ${output}`);
		try {
			const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
			if (response.status === 200) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server did not become healthy: ${output}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		url,
		port,
		child,
		output: () => output,
		stop: (signal = 'SIGTERM') =>
			new Promise((done) => {
				if (child.exitCode !== null || child.signalCode !== null) return done();
				const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
				child.once('exit', () => {
					clearTimeout(timer);
					done();
				});
				child.kill(signal);
			}),
		rssMiB: () => rssMiB(child.pid)
	};
}

export function rssMiB(pid: number | undefined): number | null {
	if (!pid) return null;
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = /VmRSS:\s+(\d+) kB/.exec(status);
		return match ? Number(match[1]) / 1024 : null;
	} catch {
		return null;
	}
}

export interface LongDatabase {
	url: string;
	name: string;
	sql: postgres.Sql;
	/** Usernames of the simulated workers (same password as the demo accounts). */
	workers: string[];
	drop(): Promise<void>;
}

/**
 * A fresh carnet_long_* database: migrated, seeded with the demo organisation, plus `workers`
 * simulated workers, each a copy of tisf.amelie (same team, same demo password hash, same cases).
 */
export async function createLongDatabase(label: string, workers: number): Promise<LongDatabase> {
	const name = `carnet_long_${label}_${crypto.randomUUID().replaceAll('-', '').slice(0, 8)}`;
	const admin = postgres(adminPostgresUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end({ timeout: 1 });
	const url = new URL(adminPostgresUrl);
	url.pathname = `/${name}`;
	const handle = await openDatabase({ databaseUrl: url.toString(), migrationsDir: 'server/db/migrations', poolSize: 2 });
	await seedDemoIfEmpty(handle.db);
	await handle.close();
	const sql = postgres(url.toString(), { max: 4, onnotice: () => {} });
	const source = 'tisf.amelie';
	await sql`
		insert into users (organisation_id, team_id, username, display_name, role, profession, password_hash)
		select organisation_id, team_id, 'charge.w' || lpad(g::text, 3, '0'), 'Charge ' || g, role, profession, password_hash
		from users, generate_series(1, ${workers}::int) g where username = ${source}`;
	await sql`
		insert into assignments (user_id, case_id, role)
		select u.id, a.case_id, a.role
		from users u
		cross join assignments a
		join users src on src.id = a.user_id and src.username = ${source}
		where u.username like 'charge.w%' and (a.ends_at is null or a.ends_at > now()) and a.starts_at <= now()`;
	const rows = await sql<{ username: string }[]>`select username from users where username like 'charge.w%' order by username`;
	return {
		url: url.toString(),
		name,
		sql,
		workers: rows.map((r) => r.username),
		async drop() {
			await sql.end({ timeout: 1 });
			const again = postgres(adminPostgresUrl, { max: 1, onnotice: () => {} });
			await again.unsafe(`drop database if exists ${name} with (force)`);
			await again.end({ timeout: 1 });
		}
	};
}

/** Samples a process's RSS every `everyMs`. */
export function sampleRss(read: () => number | null, everyMs = 5_000) {
	const samples: { at: number; mib: number }[] = [];
	const take = () => {
		const mib = read();
		if (mib !== null) samples.push({ at: Date.now(), mib });
	};
	take();
	const timer = setInterval(take, everyMs);
	return {
		samples,
		stop() {
			clearInterval(timer);
			take();
		}
	};
}

export function mean(values: number[]): number {
	return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

export function round(value: number, digits = 1): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}
