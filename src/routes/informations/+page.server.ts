import { informationNotice } from '$server/register/informationNotice';
import type { PageServerLoad } from './$types';

/**
 * The public information notice, built on the server from server/register (the same configuration
 * as the DPO's register and the retention engine). A server load, not a tRPC procedure: no
 * session, nothing but configuration, and the app stays client-rendered (ssr = false: the data
 * comes as __data.json).
 */
export const load: PageServerLoad = () => ({ notice: informationNotice() });
