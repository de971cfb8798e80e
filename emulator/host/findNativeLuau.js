// Finds the official native Luau CLI for `--vm native`: env LUAU_BIN when set, else `luau` on PATH.
// A missing binary is an answer, not an exception, so every CLI can say the same thing about it.
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

const isExecutableFile = (path) => {
	try {
		accessSync(path, constants.X_OK);
		return statSync(path).isFile();
	} catch {
		return false;
	}
};

/**
 * @param {NodeJS.ProcessEnv} [env=process.env]
 * @returns {{ ok: true, path: string } | { ok: false, message: string }}
 * @example
 *   const luau = findNativeLuau();
 *   if (!luau.ok) throw new Error(luau.message);
 */
export function findNativeLuau(env = process.env) {
	const fromEnv = env.LUAU_BIN;
	if (fromEnv) {
		if (isExecutableFile(fromEnv)) return { ok: true, path: fromEnv };
		return {
			ok: false,
			message: `native Luau not found: LUAU_BIN is set to ${fromEnv}, which is not an executable file (point it at the luau CLI, e.g. ../shared/tools/luau/luau)`,
		};
	}
	for (const dir of (env.PATH ?? "").split(delimiter)) {
		if (dir && isExecutableFile(join(dir, "luau"))) return { ok: true, path: join(dir, "luau") };
	}
	return {
		ok: false,
		message:
			"native Luau not found: LUAU_BIN is not set and there is no `luau` on PATH " +
			"(set LUAU_BIN=/path/to/luau, or `aftman install` for luau-lang/luau 0.735; `--vm web` needs neither)",
	};
}
