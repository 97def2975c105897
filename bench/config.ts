/** Where the benchmarks run. Ports 4400–4499 and databases named carnet_bench* only (shared machine). */
export const adminUrl = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const benchDatabaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carnet_bench';
export const benchPortBase = Number(process.env.BENCH_PORT ?? 4400);
