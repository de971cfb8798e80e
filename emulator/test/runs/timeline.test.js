// The --timeline page of a universe start run (startFixture.js): self-contained (no network, no external
// file), well-formed, its embedded data parses, a lane per server with the crash marker on the crashed
// one, a lane per key with each holding's fencing token. In headless Chromium when one is installed;
// otherwise that test is skipped with the reason printed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeRun } from "../../host/startReport.js";
import { renderTimeline } from "../../host/timeline.js";
import { runStart } from "./startFixture.js";

const VOID = new Set(["meta", "input", "br", "img", "link"]);

// Open and close tags balance (the page's own markup: no comments or CDATA in it); script and style
// bodies are skipped.
function unbalancedTags(html) {
	const body = html.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g, "<$1></$1>");
	const stack = [];
	for (const match of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(\/?)>/g)) {
		const [, closing, rawName, selfClosing] = match;
		const name = rawName.toLowerCase();
		if (name === "!doctype") continue;
		if (closing) {
			if (stack.pop() !== name) return `</${name}> closes nothing open`;
		} else if (!selfClosing && !VOID.has(name)) stack.push(name);
	}
	return stack.length ? `unclosed: ${stack.join(", ")}` : null;
}

let page;
let run;
async function timelinePage() {
	if (!page) {
		const { result, text } = await runStart("web");
		assert.equal(result.ok, true, text);
		run = decodeRun(result.run);
		page = renderTimeline(run, result.report, { title: "fixture" });
	}
	return page;
}

test("the timeline page: self-contained, well-formed, a lane per server with the crash, a lane per key with the tokens", async () => {
	const html = await timelinePage();
	assert.doesNotMatch(html, /https?:\/\//, "no network address anywhere");
	assert.doesNotMatch(html, /<link\b|\bsrc=|@import/, "no external file");
	assert.equal(unbalancedTags(html), null);
	const data = JSON.parse(html.match(/<script type="application\/json" id="timeline-data">([\s\S]*?)<\/script>/)[1]);
	assert.equal(data.run.servers.length, run.servers.length);
	const lanes = [...html.matchAll(/<g class="lane server" data-server="([^"]+)"/g)].map((match) => match[1]);
	assert.deepEqual(lanes, run.servers.map((server) => server.name));
	// the crash marker sits in the crashed server's lane, and only there
	const crashed = run.servers.find((server) => server.state === "crashed").name;
	const laneOf = (name) => html.match(new RegExp(`<g class="lane server" data-server="${name}"[\\s\\S]*?</g>`))[0];
	assert.match(laneOf(crashed), /class="crash"/);
	assert.equal([...html.matchAll(/class="crash"/g)].length, 1);
	assert.match(laneOf(run.servers.find((server) => server.state === "stopped").name), /class="stop"/);
	// the key lane and its holders' fencing tokens, in order
	assert.match(html, /<g class="lane key" data-key="job"/);
	assert.deepEqual([...html.matchAll(/class="token"[^>]*>token (\d+)</g)].map((match) => match[1]), ["7", "8"]);
	// claims sent, what the clients were shown, and the faults are drawn
	assert.ok([...html.matchAll(/class="claim"/g)].length === run.events.filter((event) => event.kind === "action").length);
	assert.ok([...html.matchAll(/class="grant-seen"/g)].length === run.clientEvents.length);
	assert.ok(html.includes('class="fault"'));
});

test("without keyed items the key section says not measured (never an empty picture)", () => {
	const html = renderTimeline({ duration: 60, epoch: 0, servers: [{ name: "S1", jobId: "j", startedAt: 0, state: "stopped", endedAt: 60 }], events: [], clientEvents: [] }, null);
	assert.match(html, /lease holdings: not measured/);
	assert.doesNotMatch(html, /class="lane key"/);
});

const CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
const chromium = CHROMIUM_NAMES.find((name) => spawnSync("sh", ["-c", `command -v ${name}`]).status === 0);

test("the timeline page in headless Chromium: its script runs and sees every lane", async (t) => {
	if (!chromium) {
		const reason = `no headless Chromium on this machine (looked for ${CHROMIUM_NAMES.join(", ")} on PATH; Debian: apt-get install chromium)`;
		console.log(`SKIPPED: timeline page in Chromium: ${reason}`);
		t.skip(reason);
		return;
	}
	const html = await timelinePage();
	const dir = mkdtempSync(join(tmpdir(), "eg-timeline-"));
	try {
		const file = join(dir, "timeline.html");
		writeFileSync(file, html);
		const run = spawnSync(chromium, ["--headless", "--disable-gpu", "--no-sandbox", "--dump-dom", `file://${file}`], { encoding: "utf8", timeout: 60000 });
		assert.equal(run.status, 0, run.stderr);
		assert.match(run.stdout, /data-ready="1"/, "the page's script ran to its end");
		const lanes = Number(run.stdout.match(/data-lanes="(\d+)"/)[1]);
		assert.equal(lanes, [...html.matchAll(/<g class="lane /g)].length);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
