// How emulated output lines look in a terminal: prints plain, warnings and errors marked (and coloured
// on a TTY), so CI logs read like Roblox's output window.
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);

export function formatLine(kind, text, prefix = "") {
	const lead = prefix ? `${prefix} ` : "";
	if (kind === "warn") return paint("33", `${lead}WARN ${text}`);
	if (kind === "error") return paint("31", `${lead}${text}`);
	if (kind === "info") return paint("36", `${lead}${text}`);
	return `${lead}${text}`;
}

export function printLine(kind, text, prefix = "") {
	process.stdout.write(formatLine(kind, text, prefix) + "\n");
}

export function printFailure(text) {
	process.stdout.write(paint("31", text) + "\n");
}
