/** Application error codes carried by API errors (`error.data.appCode`). */
export const appErrorCodes = [
	'invalid-input',
	'invalid-credentials',
	'login-throttled',
	'unauthenticated',
	'password-change-required',
	'password-too-weak',
	'password-reused',
	'forbidden',
	'not-found-or-no-access',
	'device-revoked',
	'payload-too-large',
	'origin-mismatch',
	'conflict',
	'internal'
] as const;
export type AppErrorCode = (typeof appErrorCodes)[number];
