/**
 * Rojo's `globIgnorePaths` use the Rust `globset` crate with its default options, whose semantics
 * differ from shell globs in one way that matters: `literal_separator` is off, so `*` and `?` also
 * match `/` (`*.lua` matches `a/b.lua`). `**` as a whole path component matches any number of
 * directories, including none (so the pattern "any-depth package.json" also matches a top-level
 * `package.json`).
 * Supported: `*`, `?`, `**`, `[abc]`, `[!abc]`, `[a-z]`, `{a,b}` (not nested), `\` escapes.
 */

const REGEXP_SPECIAL = new Set([..."\\^$.|+()[]{}*?/"]);

function escapeLiteral(char) {
	return REGEXP_SPECIAL.has(char) ? `\\${char}` : char;
}

/**
 * Compiles one glob into an anchored RegExp matched against forward-slash relative paths.
 * @param {string} glob
 * @returns {RegExp}
 */
export function globToRegExp(glob) {
	let out = "";
	let inAlternation = false;
	let i = 0;
	while (i < glob.length) {
		const char = glob[i];
		if (char === "*" && glob[i + 1] === "*") {
			const atStart = i === 0 || glob[i - 1] === "/";
			const atEnd = i + 2 === glob.length || glob[i + 2] === "/";
			if (atStart && atEnd) {
				if (i + 2 === glob.length) {
					// `a/**` matches everything below `a`; a lone `**` matches everything.
					out += ".*";
					i += 2;
				} else {
					// `**/` matches zero or more whole directories.
					out += "(?:.*/)?";
					i += 3;
				}
				continue;
			}
			out += ".*";
			i += 2;
			continue;
		}
		if (char === "*") {
			out += ".*";
		} else if (char === "?") {
			out += ".";
		} else if (char === "\\" && i + 1 < glob.length) {
			i += 1;
			out += escapeLiteral(glob[i]);
		} else if (char === "[") {
			const close = glob.indexOf("]", i + 2);
			if (close === -1) throw new Error(`unclosed character class in glob "${glob}"`);
			let body = glob.slice(i + 1, close);
			const negated = body.startsWith("!");
			if (negated) body = body.slice(1);
			out += `[${negated ? "^" : ""}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
			i = close;
		} else if (char === "{") {
			if (inAlternation) throw new Error(`nested alternation in glob "${glob}" (globset does not allow it)`);
			inAlternation = true;
			out += "(?:";
		} else if (char === "}" && inAlternation) {
			inAlternation = false;
			out += ")";
		} else if (char === "," && inAlternation) {
			out += "|";
		} else {
			out += escapeLiteral(char);
		}
		i += 1;
	}
	if (inAlternation) throw new Error(`unclosed alternation in glob "${glob}"`);
	return new RegExp(`^${out}$`, "s");
}
