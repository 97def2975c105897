import { securityMeasures } from '../../register/securityMeasures';
import { processingRegisterEntry } from '../../register/processingRegister';
import { needProcedure, router } from '../trpc';

/** The register entry (article 30) and the security measures report, from the same configuration as the public notice. */
export const dpoRegisterRouter = router({
	entry: needProcedure('audit').query(() =>
		processingRegisterEntry(securityMeasures.map((m) => ({ category: m.category, measure: m.measure, status: m.status })))
	),
	measures: needProcedure('audit').query(() => securityMeasures)
});
