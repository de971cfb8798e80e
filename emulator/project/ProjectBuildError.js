/**
 * The one error type the project builder throws. Every message names the file that was being read
 * and, where one exists, the instance path (`Game.ServerScriptService.TS`) and the `$path` involved,
 * so a person can fix the project without reading the builder.
 */
export class ProjectBuildError extends Error {
	/**
	 * @param {string} message what went wrong and what to do about it
	 * @param {{ file?: string, instancePath?: string, cause?: unknown }} [where]
	 */
	constructor(message, where = {}) {
		const lines = [message];
		if (where.instancePath !== undefined) lines.push(`Instance: ${where.instancePath}`);
		if (where.file !== undefined) lines.push(`File: ${where.file}`);
		super(lines.join("\n"), where.cause === undefined ? undefined : { cause: where.cause });
		this.name = "ProjectBuildError";
		this.file = where.file;
		this.instancePath = where.instancePath;
	}
}
