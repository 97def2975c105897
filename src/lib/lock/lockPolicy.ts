/** Numbers of the lock (DESIGN.md, "On the device"). */

/** Idle timeout when the organisation sets none. */
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
/** Bounds applied to the organisation's idle timeout, so a bad policy cannot disable the lock. */
export const MIN_IDLE_TIMEOUT_SECONDS = 30;
export const MAX_IDLE_TIMEOUT_SECONDS = 3_600;
/** Hidden (other app, screen off) for longer than this locks. */
export const HIDDEN_LOCK_MS = 60_000;
/** How often timestamps are compared. Timers of a background tab are throttled, never trusted for time. */
export const CHECK_INTERVAL_MS = 5_000;
/** Consecutive wrong passwords that wipe the device store. */
export const MAX_PASSWORD_ATTEMPTS = 10;
/** From this many consecutive failures on, the unlock screen warns about the wipe. */
export const WARN_AFTER_FAILURES = 5;
/** Wrong quick PINs before the password is required again. */
export const MAX_PIN_ATTEMPTS = 5;
/** Events that count as activity. */
export const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input'] as const;
