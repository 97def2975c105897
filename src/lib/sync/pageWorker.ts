/// <reference lib="webworker" />
/**
 * The page-sealing worker: fetches a sync.pull page, parses it and encrypts its packed records
 * into store rows, off the main thread (which then only writes the rows). It holds nothing
 * between two requests: the data key comes with each request (a non-extractable CryptoKey stays
 * so when posted) and the worker keeps no reference to it, to the plaintext or to the rows once
 * answered. Started by a pull that has more than one page, terminated when that pull ends.
 */
import { fetchPullBody, parsePullBody } from '$lib/api/rawPull';
import { sealPackedRecords } from '$lib/db/sealPacked';
import type { PageWorkerAnswer, PageWorkerRequest } from './pageWorkerProtocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (answer: PageWorkerAnswer) => scope.postMessage(answer);

scope.onmessage = async (event: MessageEvent<PageWorkerRequest>) => {
	const { id, input, dataKey } = event.data;
	const body = await fetchPullBody(input);
	const page = body && parsePullBody(body);
	if (!page) return post({ id, kind: 'failed' });
	if (page.wipe || !page.packed) {
		const records = page.wipe ? null : page;
		const count = records ? records.cases.length + records.persons.length + records.notes.length + records.visits.length : 0;
		return post({ id, kind: 'page', page, caseIds: records?.cases.map((c) => c.id) ?? [], count, sealing: false });
	}
	const { packed, ...rest } = page;
	const count = packed.cases.length + packed.persons.length + packed.notes.length + packed.visits.length;
	post({ id, kind: 'page', page: rest, caseIds: packed.cases.map((c) => c.id), count, sealing: true });
	try {
		post({ id, kind: 'sealed', rows: await sealPackedRecords(dataKey, packed) });
	} catch {
		post({ id, kind: 'unsealed', packed });
	}
};
