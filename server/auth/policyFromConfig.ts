import type { Config } from '../config';
import type { SessionPolicy } from './session';
import type { ThrottlePolicy } from './throttle';

export function authPolicyFromConfig(config: Config): { session: SessionPolicy; throttle: ThrottlePolicy } {
	return {
		session: {
			maxAgeMs: config.SESSION_MAX_AGE_HOURS * 3_600_000,
			idleMs: config.SESSION_IDLE_MINUTES * 60_000
		},
		throttle: {
			maxPerAddress: config.LOGIN_MAX_PER_ADDRESS,
			addressWindowMs: config.LOGIN_ADDRESS_WINDOW_MINUTES * 60_000,
			lockMs: config.LOGIN_LOCK_MINUTES * 60_000
		}
	};
}
