// The engine's module loader, in Luau, shared by both hosts (LuauServer.js on luau-web, nativeProgram.js
// on native Luau). Each host defines two locals before it: `compileChunk(source, chunkName)` → a
// function or the compile error as a string, and `engineSourceOf(name)` → an engine module's source.
//
// A universe runs several servers in one Luau state: newEngineLoader(shared) gives a require of its own
// (a fresh copy of every engine module, e.g. Instance, Services, Modules, Engine), except the modules in
// `shared` (the one Scheduler, Cloud...). Each chunk is compiled once and run once per copy.
export const ENGINE_LOADER_LUAU = `
local compiled = {}
local function newEngineLoader(shared)
	local loaded = table.clone(shared or {})
	local function engineRequire(name)
		local cached = loaded[name]
		if cached ~= nil then
			return cached
		end
		local chunk = compiled[name]
		if chunk == nil then
			-- the prefix stays on line 1 so engine error lines match the files
			chunk = compileChunk("local require = ...; " .. engineSourceOf(name), "=emulator/engine/" .. name .. ".luau")
			if type(chunk) ~= "function" then
				error(chunk, 0)
			end
			compiled[name] = chunk
		end
		local value = chunk(engineRequire)
		loaded[name] = value
		return value
	end
	return engineRequire
end
`;
