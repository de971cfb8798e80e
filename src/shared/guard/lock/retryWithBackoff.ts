import { DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY, backoffDelay } from "./backoff";
import { TryAcquireOptions } from "./LockTypes";

/**
 * Calls `attempt` once, then up to `options.retries` more times while it returns undefined, waiting
 * the backoff delay (exponential, equal jitter; see `backoffDelay`) before each retry. Yields between
 * attempts. Returns the first defined result, or undefined when every attempt failed.
 *
 * @example
 * ```ts
 * const handle = retryWithBackoff({ retries: 3, baseDelay: 0.1 }, () => engine.takeIfFree(key, owner, ttl, undefined));
 * ```
 */
export function retryWithBackoff<T extends defined>(
	options: TryAcquireOptions,
	attempt: () => T | undefined,
): T | undefined {
	const retries = options.retries ?? 0;
	const baseDelay = options.baseDelay ?? DEFAULT_BASE_DELAY;
	const maxDelay = math.max(options.maxDelay ?? DEFAULT_MAX_DELAY, baseDelay);
	let result = attempt();
	for (let retry = 1; retry <= retries && result === undefined; retry++) {
		const delay = backoffDelay(retry, baseDelay, maxDelay, options.random);
		options.onRetry?.(retry, delay);
		task.wait(delay);
		result = attempt();
	}
	return result;
}
