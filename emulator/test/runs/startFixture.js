// A small place for universe start runs (no compile): a Server Script with a Ping RemoteEvent that
// writes a DataStore and a MemoryStore and answers the client with Pong, and a report module that
// returns values, an unmeasured invariant and two keyed lease items (tokens 7 and 8).
import { runServer } from "../../host/runServer.js";
import { findNativeLuau } from "../../host/findNativeLuau.js";
import { FAULT_PRESETS } from "../../host/startOptions.js";
import { moduleNode, scriptNode } from "./universeFixture.js";

const luau = findNativeLuau();
export const VMS_HERE = luau.ok ? ["web", "native"] : ["web"];

const MAIN = `
	local ReplicatedStorage = game:GetService("ReplicatedStorage")
	local store = game:GetService("DataStoreService"):GetDataStore("Pings")
	local map = game:GetService("MemoryStoreService"):GetHashMap("Pings")
	local folder = Instance.new("Folder")
	folder.Name = "Remotes"
	folder.Parent = ReplicatedStorage
	local ping = Instance.new("RemoteEvent")
	ping.Name = "Ping"
	ping.Parent = folder
	local pong = Instance.new("RemoteEvent")
	pong.Name = "Pong"
	pong.Parent = folder
	ping.OnServerEvent:Connect(function(player, n)
		local ok = pcall(function()
			store:UpdateAsync(tostring(player.UserId), function(old) return (old or 0) + n end)
			map:SetAsync(tostring(player.UserId), n, 60)
		end)
		if ok then
			pong:FireClient(player, "pong", n)
		end
	end)
	game:BindToClose(function() print("summary of", game.JobId) end)
	print("[Fact] booted " .. game.JobId)
	print("[Other] not recorded")
`;

const REPORT = `
	return function(run)
		return {
			values = { pongs = #run.clientEvents, facts = #run.lines, factServer = run.lines[1] and run.lines[1].server, firstArg = run.clientEvents[1] and run.clientEvents[1].args[1], unmeasured = "not measured" },
			invariants = {
				{ name = "clients were answered", holds = #run.clientEvents > 0, detail = #run.clientEvents .. " pongs" },
				{ name = "something not built yet", detail = "needs a piece not in this place" },
			},
			timeline = {
				{ kind = "lease", key = "job", server = run.servers[1].name, token = 7, from = run.epoch + 5, to = run.epoch + 50 },
				{ kind = "lease", key = "job", jobId = run.servers[2].jobId, token = 8, from = run.epoch + 60, to = run.epoch + 90 },
			},
		}
	end
`;

const place = {
	name: "StartPlace",
	className: "DataModel",
	children: [
		{ name: "ServerScriptService", className: "ServerScriptService", children: [scriptNode("main", MAIN)] },
		{ name: "ReplicatedStorage", className: "ReplicatedStorage", children: [moduleNode("Report", REPORT)] },
	],
};

export async function runStart(vm, overrides = {}) {
	const lines = [];
	const result = await runServer(
		place,
		{
			mode: "start",
			seed: 5,
			servers: 2,
			players: Array.from({ length: 6 }, (_, index) => ({ userId: 101 + index, name: `P${index}` })),
			joinAt: 1,
			duration: 180,
			choreography: {
				hopsPerPlayerMinute: 1,
				crashes: 1,
				restartAfter: 5,
				actions: [{ remote: "ReplicatedStorage.Remotes.Ping", perPlayerMinute: 6, burst: 2, args: [1] }],
			},
			faults: FAULT_PRESETS.standard,
			reportModule: "ReplicatedStorage.Report",
			record: ["[Fact] "],
			wallTimeout: 60,
			vm,
			...(vm === "native" ? { luauBin: luau.path } : {}),
			...overrides,
		},
		(kind, text) => lines.push(`${kind}: ${text}`),
	);
	return { result, lines, text: lines.join("\n") };
}

export const SETTINGS = { seed: 5, servers: 2, players: 6, duration: 180, faults: "standard", report: "ReplicatedStorage.Report" };
