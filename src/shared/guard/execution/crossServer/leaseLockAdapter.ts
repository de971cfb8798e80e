import { GuardError } from "../../errors/GuardError";
import { ExperienceSettings } from "./experienceConfig";
import { ExperienceLeases } from "./ExperienceLeases";

/**
 * The default lease backend of an experience guard: the lease lock of `../../lease/`.
 *
 * @example
 * ```ts
 * const leases = leaseLockFor(settings);
 * ```
 */
export function leaseLockFor(settings: ExperienceSettings): ExperienceLeases {
	throw new GuardError(
		"InvalidState",
		`ExecutionGuard.new: the experience scope of "${settings.name}" needs the MemoryStore lease lock, which is not ` +
			`in this build yet; pass config.experience.leases`,
	);
}
