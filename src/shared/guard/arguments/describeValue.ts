/** How many characters of a string argument an error message shows before cutting it short. */
export const SHOWN_CHARACTERS = 40;

/**
 * `text` cut to {@link SHOWN_CHARACTERS} characters with its length, so a 10,000-character key passed by
 * mistake gives a one-line error instead of a 10 KB one.
 *
 * @example
 * ```ts
 * shorten(string.rep("x", 10000)); // "xxxx…x... (10000 characters)"
 * shorten("player_42"); // "player_42"
 * ```
 */
export function shorten(text: string) {
	return text.size() > SHOWN_CHARACTERS ? `${text.sub(1, SHOWN_CHARACTERS)}... (${text.size()} characters)` : text;
}

/**
 * A value as an error message shows it: strings quoted and shortened, everything else with its type.
 *
 * @example
 * ```ts
 * describeValue("abc"); // `"abc" (string)`
 * describeValue(undefined); // "nil"
 * describeValue(5); // "5 (number)"
 * ```
 */
export function describeValue(value: unknown) {
	if (typeIs(value, "string")) {
		if (value.size() === 0) return "an empty string";
		return value.size() > SHOWN_CHARACTERS ? `the string "${shorten(value)}"` : `"${value}" (string)`;
	}
	if (value === undefined) return "nil";
	return `${tostring(value)} (${typeOf(value)})`;
}

/**
 * `value` safe to keep in an error's `details`: long strings shortened, everything else as is.
 *
 * @example
 * ```ts
 * const given = detailValue(key); // at most SHOWN_CHARACTERS characters plus the length note
 * ```
 */
export function detailValue(value: unknown) {
	return typeIs(value, "string") ? shorten(value) : value;
}
