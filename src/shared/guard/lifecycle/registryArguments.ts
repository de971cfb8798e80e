import { GuardError } from "../errors/GuardError";
import type { RegisterOptions, ServiceHooks, ServiceRegistryOptions } from "./ServiceRegistry";

// The argument checks of ServiceRegistry, apart so the registry reads as its boot logic.

const OPTION_NAMES = new Set(["name", "slowInitWarningSeconds", "onSlowInit", "output"]);
const REGISTER_OPTION_NAMES = new Set(["dependsOn", "allowRetry"]);

function checkOptionNames(where: string, options: object, allowed: ReadonlySet<string>) {
	for (const [key] of pairs(options)) {
		if (!allowed.has(key as string)) {
			const names: string[] = [];
			for (const name of allowed) names.push(name);
			throw new GuardError(
				"InvalidArgument",
				`${where}: unknown option "${tostring(key)}"; known options are ${names.join(", ")}`,
			);
		}
	}
}

/** {@link ServiceRegistryOptions} checked, with defaults filled in. */
export interface ResolvedRegistryOptions {
	readonly name: string;
	readonly slowInitWarningSeconds: number;
	readonly onSlowInit: (serviceName: string, thresholdSeconds: number) => void;
	readonly output: ((text: string) => void) | false;
}

/**
 * Checks a registry's options and fills in the defaults (name "ServiceRegistry", 5 s warning that
 * goes to `warn`, tree printed with `print`).
 *
 * @throws `InvalidArgument` naming the option, what was given and what is expected.
 *
 * @example
 * ```ts
 * const { name, slowInitWarningSeconds } = resolveRegistryOptions({ slowInitWarningSeconds: 3 });
 * ```
 */
export function resolveRegistryOptions(options: ServiceRegistryOptions): ResolvedRegistryOptions {
	if (!typeIs(options, "table")) {
		throw new GuardError("InvalidArgument", `ServiceRegistry options must be a table, got ${typeOf(options)}`);
	}
	checkOptionNames("ServiceRegistry", options, OPTION_NAMES);
	const { name = "ServiceRegistry", slowInitWarningSeconds = 5, onSlowInit, output = print } = options;
	if (!typeIs(name, "string") || name.size() === 0) {
		throw new GuardError("InvalidArgument", `ServiceRegistry options.name must be a non-empty string`);
	}
	if (
		!typeIs(slowInitWarningSeconds, "number") ||
		slowInitWarningSeconds !== slowInitWarningSeconds ||
		slowInitWarningSeconds <= 0 ||
		slowInitWarningSeconds === math.huge
	) {
		throw new GuardError(
			"InvalidArgument",
			`${name}: slowInitWarningSeconds must be a positive finite number of seconds, got ${tostring(slowInitWarningSeconds)}`,
		);
	}
	if (onSlowInit !== undefined && !typeIs(onSlowInit, "function")) {
		throw new GuardError("InvalidArgument", `${name}: onSlowInit must be a function, got ${typeOf(onSlowInit)}`);
	}
	if (output !== false && !typeIs(output, "function")) {
		throw new GuardError("InvalidArgument", `${name}: output must be a function or false, got ${typeOf(output)}`);
	}
	return {
		name,
		slowInitWarningSeconds,
		output,
		onSlowInit:
			onSlowInit ??
			((serviceName, threshold) =>
				warn(
					`[${name}] ${serviceName}.Init is still running after ${threshold} s; the services after it wait`,
				)),
	};
}

/**
 * Checks one registration's service and options and returns its dependency names.
 *
 * @throws `InvalidArgument` for a non-table service, a non-function hook, bad or unknown options.
 *
 * @example
 * ```ts
 * const dependencies = checkRegistration("Boot", "RewardService", rewards, { dependsOn: ["PlayerDataService"] });
 * ```
 */
export function checkRegistration(
	registryName: string,
	name: string,
	service: ServiceHooks,
	options: RegisterOptions,
): string[] {
	if (!typeIs(service, "table")) {
		throw new GuardError(
			"InvalidArgument",
			`${registryName}.Register("${name}"): service must be a table/object with optional Init/Start/Destroy, got ${typeOf(service)}`,
		);
	}
	for (const hook of ["Init", "Start", "Destroy"] as const) {
		// Read as plain data: validation must not call the hook.
		const value = (service as unknown as Record<string, unknown>)[hook];
		if (value !== undefined && !typeIs(value, "function")) {
			throw new GuardError(
				"InvalidArgument",
				`${registryName}.Register("${name}"): service.${hook} must be a function, got ${typeOf(value)}`,
			);
		}
	}
	if (!typeIs(options, "table")) {
		throw new GuardError("InvalidArgument", `${registryName}.Register("${name}"): options must be a table`);
	}
	checkOptionNames(`${registryName}.Register("${name}")`, options, REGISTER_OPTION_NAMES);
	const dependencies: string[] = [];
	const dependsOn = options.dependsOn ?? [];
	if (!typeIs(dependsOn, "table")) {
		throw new GuardError(
			"InvalidArgument",
			`${registryName}.Register("${name}"): dependsOn must be an array of service names, got ${typeOf(dependsOn)}`,
		);
	}
	for (const dependency of dependsOn) {
		if (!typeIs(dependency, "string") || dependency.size() === 0) {
			throw new GuardError(
				"InvalidArgument",
				`${registryName}.Register("${name}"): every dependsOn entry must be a service name, got ${typeOf(dependency)}`,
			);
		}
		dependencies.push(dependency);
	}
	return dependencies;
}
