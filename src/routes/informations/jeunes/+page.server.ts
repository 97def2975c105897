import { youthInformationNotice } from '$server/register/informationNotice';
import type { PageServerLoad } from './$types';

/** The information notice in plain words for children and teenagers (référentiel § 62–63). */
export const load: PageServerLoad = () => ({ notice: youthInformationNotice() });
