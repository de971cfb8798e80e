/**
 * ExecutionGuard toolkit: the public entry. Everything a game or a test uses is exported here.
 *
 * @example
 * ```ts
 * import { GuardError } from "shared/guard";
 * ```
 */
export { GuardError, GuardErrorKind } from "./errors/GuardError";
export { formatTable, FormatTableOptions, ColumnAlign } from "./summary/formatTable";
export {
	IdempotentGuard,
	IdempotentGuardOptions,
	LifecycleState,
	LifecyclePhase,
	PhaseTiming,
	LifecycleTimings,
} from "./lifecycle/IdempotentGuard";
export { ServiceRegistry, ServiceHooks, RegisterOptions, ServiceRegistryOptions } from "./lifecycle/ServiceRegistry";
export { ServiceReport } from "./lifecycle/startupTree";
export { KeyedLock } from "./lock/KeyedLock";
export { KeyedLockOptions, Lock, LockHandle, LockInfo, LockStrategy, RunWithLockResult } from "./lock/LockTypes";
export { AcquireOptions, TryAcquireOptions, WithLockOptions } from "./lock/LockTypes";
export { Semaphore } from "./lock/Semaphore";
export { ExecutionGuard } from "./execution/ExecutionGuard";
export {
	ExecutionStatus,
	ExecutionOptions,
	ExecutionGuardConfig,
	ExecutionRecordInfo,
	SummaryOptions,
} from "./execution/types";
export { ExecutionAnalytics, GlobalAnalytics, KeyAnalytics } from "./execution/types";
