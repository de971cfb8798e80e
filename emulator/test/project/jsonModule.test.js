import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, it } from "node:test";
import { LuauState } from "luau-web";
import { build, buildError, fixture, find } from "./helpers.js";

let state;

describe("JSON modules", () => {
	it("*.json becomes a ModuleScript returning the decoded JSON as a Luau table", async () => {
		const data = find(build("json-module", "ok.project.json"), "data");
		assert.equal(data.className, "ModuleScript");
		assert.match(data.source, /^return \{/);
		const decoded = JSON.parse(fs.readFileSync(fixture("json-module", "src", "data.json"), "utf8"));
		// Check field by field in Luau: strings with quotes, backslashes, newlines, control bytes, UTF-8.
		const probe = `${data.source.replace(/^return /, "local t = ")}
			return table.concat({
				t["weird keys"]["with \\"quotes\\""], t["weird keys"]["back\\\\slash"], t["weird keys"]["new\\nline"],
				t["weird keys"]["1leadingDigit"], t["weird keys"]["end]]"],
				t.unicode == ${JSON.stringify(decoded.unicode)} and "u" or "U",
				t.control == "tab\\tbell\\7nul\\0end\\0012" and "c" or "C",
				#t.list, t.list[2], t.list[4] == 1e21 and "big" or "small", tostring(t.list[5]), t.list[7],
				next(t.nested.deeper.empty) == nil and "e" or "E", #t.nested.deeper.emptyList, t.zero,
			}, ",")`;
		state ??= await LuauState.createAsync();
		const chunk = state.loadstring(probe, "=probe", false);
		assert.equal(typeof chunk, "function", `generated Luau does not compile: ${chunk}`);
		const [result] = await chunk();
		assert.equal(result, "1,2,3,4,5,u,c,7,2.5,big,true,three,e,0,0");
	});

	it("null in a JSON array becomes nil, as in Rojo", async () => {
		const list = find(build("json-module", "ok.project.json"), "list");
		state ??= await LuauState.createAsync();
		const [result] = await state.loadstring(
			`local t = (function() ${list.source} end)() return tostring(t[1]) .. tostring(t[2]) .. tostring(t[3])`,
			"=list",
			true,
		)();
		assert.equal(result, "1nil3");
	});

	it("the generated source is deterministic: keys sorted, one entry per line", () => {
		const data = find(build("json-module", "ok.project.json"), "data");
		const topKeys = [...data.source.matchAll(/^\t\["([^"]+)"\] =/gm)].map((match) => match[1]);
		assert.deepEqual(topKeys, ["control", "list", "nested", "unicode", "weird keys", "zero"]);
	});

	it("malformed JSON is an error naming the file", () => {
		buildError("json-module", "default.project.json", "not valid JSON", "broken.json");
	});
});
