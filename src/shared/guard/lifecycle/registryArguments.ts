import { checkFunction, checkOptions, invalidArgument, OptionRule } from "../arguments/check";
import type { RegisterOptions, ServiceHooks, ServiceRegistryOptions } from "./types";

// The argument checks of ServiceRegistry, apart so the registry reads as its boot logic. They use
// the toolkit's one checker: the same message form, details shape and did-you-mean as every class.

const REGISTRY_OPTIONS = new Map<string, OptionRule>([
	["name", "string"],
	["slowInitWarningSeconds", "seconds"],
	["onSlowInit", "function"],
	["output", "functionOrFalse"],
]);
const REGISTER_OPTIONS = new Map<string, OptionRule>([
	["dependsOn", "table"],
	["allowRetry", "boolean"],
]);

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
 * @throws `InvalidArgument` naming the option, what was given and what is expected (an unknown
 *   option names the closest known one).
 *
 * @example
 * ```ts
 * const { name, slowInitWarningSeconds } = resolveRegistryOptions({ slowInitWarningSeconds: 3 });
 * ```
 */
export function resolveRegistryOptions(options: ServiceRegistryOptions | undefined): ResolvedRegistryOptions {
	checkOptions("ServiceRegistry.new", options, REGISTRY_OPTIONS);
	const { name = "ServiceRegistry", slowInitWarningSeconds = 5, onSlowInit, output = print } = options ?? {};
	if (name.size() === 0) invalidArgument("ServiceRegistry.new", "options.name", name, "a non-empty string");
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

/** One registration, checked. */
export interface CheckedRegistration {
	readonly dependencies: string[];
	readonly allowRetry: boolean;
}

/**
 * Checks one registration's name, service and options.
 *
 * @throws `InvalidArgument` for an empty name, a non-table service, a non-function hook, bad or
 *   unknown options.
 *
 * @example
 * ```ts
 * const { dependencies } = checkRegistration("Boot.Register", "RewardService", rewards, { dependsOn: ["PlayerDataService"] });
 * ```
 */
export function checkRegistration(
	where: string,
	name: unknown,
	service: unknown,
	options: RegisterOptions | undefined,
): CheckedRegistration {
	if (!typeIs(name, "string") || name.size() === 0) {
		invalidArgument(where, "name", name, "a non-empty string (the service's name)");
	}
	if (!typeIs(service, "table")) {
		invalidArgument(where, "service", service, "a table with optional Init, Start and Destroy functions", name);
	}
	for (const hook of ["Init", "Start", "Destroy"] as const) {
		// Read as plain data: validation must not call the hook.
		const value = (service as Record<string, unknown>)[hook];
		if (value !== undefined) checkFunction(where, `service.${hook}`, value, name);
	}
	checkOptions(where, options, REGISTER_OPTIONS, name);
	const dependencies: string[] = [];
	for (const dependency of options?.dependsOn ?? []) {
		if (!typeIs(dependency, "string") || dependency.size() === 0) {
			const argument = `options.dependsOn entry ${dependencies.size() + 1}`;
			invalidArgument(where, argument, dependency, "a service name (a non-empty string)", name);
		}
		dependencies.push(dependency);
	}
	return { dependencies, allowRetry: options?.allowRetry ?? false };
}
