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
export { IdempotentGuard } from "./lifecycle/IdempotentGuard";
export { ServiceRegistry } from "./lifecycle/ServiceRegistry";
export {
	IdempotentGuardOptions,
	LifecycleState,
	LifecyclePhase,
	PhaseTiming,
	LifecycleTimings,
} from "./lifecycle/types";
export { ServiceHooks, RegisterOptions, ServiceRegistryOptions, ServiceReport } from "./lifecycle/types";
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
export { MemoryStoreLeases } from "./lease/MemoryStoreLeases";
export {
	LeaseHandle,
	LeaseRecord,
	LeaseLostReason,
	LeaseLostCallback,
	LeaseEventCallback,
	MemoryStoreLeasesOptions,
} from "./lease/LeaseTypes";
export { EffectStore } from "./effects/EffectStore";
export {
	ApplyOptions,
	EffectChange,
	EffectDataStore,
	EffectOutcome,
	EffectResult,
	EffectSnapshot,
	EffectStoreOptions,
	FenceToken,
} from "./effects/types";
export { StoreClock, StoreClockOptions } from "./effects/StoreClock";
