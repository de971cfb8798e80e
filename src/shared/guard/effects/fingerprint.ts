/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- Luau callers get (result, err) pairs, as everywhere in the toolkit */
// The payload's fingerprint: what the op-id history keeps to tell "the same op again" from "the same
// op id with another payload" (idempotency-key semantics). A canonical encoding (sorted keys, one
// number format) so two equal tables give one text whatever their key order; short printable ones are
// kept as they are (readable in the store), longer ones as their length and two 32-bit hashes.

/** Canonical encodings up to this many characters are stored as they are. */
const KEPT_AS_IS = 64;
const MAX_DEPTH = 32;
const TWO_TO_32 = 4294967296;

/** Why a payload cannot be fingerprinted (JSON cannot hold it), or undefined when it can. */
export type FingerprintProblem = string | undefined;

function encodeNumber(value: number): string | undefined {
	if (value !== value || value === math.huge || value === -math.huge) return undefined;
	return string.format("%.17g", value);
}

function encodeInto(value: unknown, parts: string[], depth: number): FingerprintProblem {
	if (depth > MAX_DEPTH) return `it nests deeper than ${MAX_DEPTH} tables (a cycle?)`;
	if (value === undefined) {
		parts.push("null");
	} else if (typeIs(value, "string")) {
		parts.push(string.format("%q", value));
	} else if (typeIs(value, "boolean")) {
		parts.push(value ? "true" : "false");
	} else if (typeIs(value, "number")) {
		const text = encodeNumber(value);
		if (text === undefined) return `it holds ${tostring(value)}, which a DataStore cannot store`;
		parts.push(text);
	} else if (typeIs(value, "table")) {
		const keys = new Array<string>();
		let count = 0;
		for (const [key] of pairs(value as object)) {
			count += 1;
			if (typeIs(key, "string")) keys.push(key);
		}
		const length = (value as defined[]).size();
		if (count > 0 && length === count) {
			parts.push("[");
			for (const item of value as defined[]) {
				const problem = encodeInto(item, parts, depth + 1);
				if (problem !== undefined) return problem;
				parts.push(",");
			}
			parts.push("]");
		} else {
			if (keys.size() !== count) return "it mixes array items and keys, or has non-string keys";
			keys.sort();
			parts.push("{");
			for (const key of keys) {
				parts.push(string.format("%q", key), ":");
				const problem = encodeInto((value as Record<string, unknown>)[key], parts, depth + 1);
				if (problem !== undefined) return problem;
				parts.push(",");
			}
			parts.push("}");
		}
	} else {
		return `it holds a ${typeOf(value)}, which a DataStore cannot store`;
	}
	return undefined;
}

function hashes(text: string): string {
	// FNV-1a and djb2, 32 bits each: 64 bits make an accidental match of two payloads negligible.
	// (h × 16777619 is split as h × 2^24 + h × 403 so no product passes 2^53.)
	let fnv = 2166136261;
	let djb = 5381;
	for (let index = 1; index <= text.size(); index++) {
		const byte = string.byte(text, index)[0];
		fnv = bit32.bxor(fnv, byte);
		fnv = (bit32.lshift(fnv, 24) + fnv * 403) % TWO_TO_32;
		djb = (djb * 33 + byte) % TWO_TO_32;
	}
	return string.format("%08x%08x", fnv, djb);
}

/**
 * The payload's fingerprint, or `[undefined, why]` when JSON cannot hold it.
 *
 * @example
 * ```ts
 * fingerprint({ b: 1, a: "x" }); // [`{"a":"x","b":1,}`] — the same for { a: "x", b: 1 }
 * fingerprint(string.rep("x", 100)); // ["#104:3e1c…"] (length and two hashes)
 * ```
 */
export function fingerprint(payload: unknown): LuaTuple<[string | undefined, FingerprintProblem]> {
	const parts = new Array<string>();
	const problem = encodeInto(payload, parts, 0);
	if (problem !== undefined) return $tuple(undefined, problem);
	const text = parts.join("");
	// Kept as is only when short and plain ASCII (a DataStore string must be valid UTF-8).
	if (text.size() <= KEPT_AS_IS && string.find(text, "[^\x20-\x7e]")[0] === undefined) return $tuple(text, undefined);
	return $tuple(`#${text.size()}:${hashes(text)}`, undefined);
}
