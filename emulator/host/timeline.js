// `npm start -- --timeline FILE.html`: one self-contained page (inline CSS, SVG and a little JS; no
// network, no external file) of a universe run. A lane per server — its life (start, crash ✖, restart,
// graceful stop), the faults that hit its requests, the player actions it received (claims) and what it
// sent to clients (grants shown) — and a lane per key from the place's report timeline: who held which
// lease, with its fencing token. Hover any mark for its details (SVG <title>). The run's data is embedded
// as JSON (`<script type="application/json" id="timeline-data">`) for tools and tests.
//
//   writeFileSync("run.html", renderTimeline(result.run, result.report, { title: "seed 7" }));

const WIDTH = 1100;
const LEFT = 150;
const LANE = 54;
const COLORS = ["#3b82f6", "#10b981", "#f59e0b", "#8b5cf6", "#ef4444", "#14b8a6", "#ec4899", "#84cc16"];

const escapeText = (text) =>
	String(text).replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]);

const list = (value) => (Array.isArray(value) ? value : value && typeof value === "object" ? Object.values(value) : []);

/**
 * Place timeline items use the game's clock (Unix seconds: `at`, or `from`/`to`); the page draws
 * virtual seconds since the run started. `jobId` or `server` (a name) says whose item it is.
 */
function placeItems(run, placeReport) {
	const byJob = new Map(list(run.servers).map((server) => [server.jobId, server.name]));
	const epoch = run.epoch ?? 0;
	const toRun = (unix) => (typeof unix === "number" ? unix - epoch : null);
	return list(placeReport?.timeline).map((item) => ({
		kind: String(item.kind ?? "item"),
		key: item.key === undefined ? null : String(item.key),
		server: item.server ?? byJob.get(item.jobId) ?? (item.jobId ? String(item.jobId).slice(0, 8) : null),
		token: item.token ?? null,
		from: toRun(item.from ?? item.at),
		to: toRun(item.to ?? item.from ?? item.at),
		text: String(item.text ?? ""),
	}));
}

/**
 * @param {object} run result.run of a universe start run (servers, events, clientEvents, duration, epoch)
 * @param {object|null} placeReport result.report (its `timeline` items), or null
 * @param {{ title?: string }} options
 * @returns {string} the HTML page
 */
export function renderTimeline(run, placeReport, options = {}) {
	const duration = Math.max(1, run.duration ?? 1);
	const x = (t) => LEFT + (Math.max(0, Math.min(duration, t)) / duration) * (WIDTH - LEFT - 20);
	const servers = list(run.servers).filter((server) => server.name !== "auditor");
	const colorOf = new Map(servers.map((server, index) => [server.name, COLORS[index % COLORS.length]]));
	const items = placeItems(run, placeReport);
	const keyed = items.filter((item) => item.key !== null && item.from !== null);
	const keys = [...new Set(keyed.map((item) => item.key))].sort();
	const parts = [];
	let y = 40;

	// the time axis, one tick per minute (or per 10 s on short runs)
	const step = duration > 180 ? 60 : 10;
	parts.push(`<g class="axis">`);
	for (let t = 0; t <= duration; t += step) {
		parts.push(`<line x1="${x(t)}" y1="20" x2="${x(t)}" y2="100%" class="grid"/><text x="${x(t)}" y="14" class="tick">${step === 60 ? `${t / 60}m` : `${t}s`}</text>`);
	}
	parts.push(`</g>`);

	parts.push(`<text x="8" y="${y}" class="section">servers</text>`);
	y += 10;
	const events = list(run.events);
	const clientEvents = list(run.clientEvents);
	for (const server of servers) {
		const end = server.endedAt ?? duration;
		const color = colorOf.get(server.name);
		const lane = [`<g class="lane server" data-server="${escapeText(server.name)}" transform="translate(0 ${y})">`];
		lane.push(`<text x="8" y="28" class="label">${escapeText(server.name)}</text><text x="8" y="42" class="sub">${escapeText(String(server.jobId).slice(0, 13))}</text>`);
		lane.push(
			`<rect class="life" x="${x(server.startedAt)}" y="18" width="${Math.max(1, x(end) - x(server.startedAt))}" height="14" fill="${color}"><title>${escapeText(server.name)} ${escapeText(server.jobId)}: up ${server.startedAt.toFixed(1)}–${end.toFixed(1)} s, ${escapeText(server.state)}</title></rect>`,
		);
		for (const item of events.filter((event) => event.server === server.name)) {
			const at = x(item.t);
			const who = item.userId ? ` player ${item.userId}` : "";
			const title = `<title>${item.t.toFixed(1)} s ${escapeText(item.kind)}${who} ${escapeText(item.text ?? "")}</title>`;
			if (item.kind === "crash") lane.push(`<text class="crash" x="${at}" y="31">✖${title}</text>`);
			else if (item.kind === "restart" || item.kind === "start") lane.push(`<text class="${item.kind}" x="${at}" y="14">▶${title}</text>`);
			else if (item.kind === "stop") lane.push(`<text class="stop" x="${at}" y="14">■${title}</text>`);
			else if (item.kind === "fault") lane.push(`<rect class="fault" x="${at}" y="34" width="1.5" height="8">${title}</rect>`);
			else if (item.kind === "action") lane.push(`<circle class="claim" cx="${at}" cy="47" r="1.8">${title}</circle>`);
		}
		for (const item of clientEvents.filter((event) => event.server === server.name)) {
			const title = `<title>${item.t.toFixed(1)} s player ${item.userId} was sent ${escapeText(item.remote)} ${escapeText(JSON.stringify(item.args))}</title>`;
			lane.push(`<circle class="grant-seen" cx="${x(item.t)}" cy="10" r="2.2">${title}</circle>`);
		}
		for (const item of items.filter((entry) => entry.key === null && entry.server === server.name && entry.from !== null)) {
			lane.push(`<rect class="place ${escapeText(item.kind)}" x="${x(item.from)}" y="4" width="2" height="10"><title>${escapeText(item.kind)} ${escapeText(item.text)}</title></rect>`);
		}
		lane.push(`</g>`);
		parts.push(lane.join(""));
		y += LANE;
	}

	parts.push(`<text x="8" y="${y + 16}" class="section">keys (leases)</text>`);
	y += 26;
	if (keys.length === 0) {
		parts.push(`<text x="${LEFT}" y="${y + 14}" class="note">lease holdings: not measured (the place's report timeline has no keyed items)</text>`);
		y += LANE;
	}
	for (const key of keys) {
		const lane = [`<g class="lane key" data-key="${escapeText(key)}" transform="translate(0 ${y})">`, `<text x="8" y="26" class="label">${escapeText(key)}</text>`];
		for (const item of keyed.filter((entry) => entry.key === key)) {
			const from = x(item.from);
			const width = Math.max(2, x(item.to ?? item.from) - from);
			const token = item.token === null ? "" : `token ${item.token}`;
			lane.push(
				`<g class="lease" data-token="${escapeText(item.token ?? "")}"><rect x="${from}" y="10" width="${width}" height="22" fill="${colorOf.get(item.server) ?? "#64748b"}"><title>${escapeText(key)}: ${escapeText(item.server ?? "?")} held it ${item.from.toFixed(1)}–${(item.to ?? item.from).toFixed(1)} s, ${token} ${escapeText(item.text)}</title></rect><text class="token" x="${from + 3}" y="25">${escapeText(token)}</text></g>`,
			);
		}
		lane.push(`</g>`);
		parts.push(lane.join(""));
		y += LANE;
	}
	const height = y + 20;
	const data = JSON.stringify({ run: { ...run, meters: undefined }, timeline: items }).replace(/</g, "\\u003c");
	const title = escapeText(options.title ?? "universe run");
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Timeline — ${title}</title>
<style>
body{font:13px system-ui,sans-serif;margin:16px;color:#0f172a;background:#fff}
h1{font-size:18px;margin:0 0 4px}
.legend span{margin-right:14px}
svg{border:1px solid #e2e8f0;background:#f8fafc}
.grid{stroke:#e2e8f0}.tick{font-size:10px;fill:#64748b;text-anchor:middle}
.section{font-weight:600;fill:#334155}.label{font-weight:600}.sub,.note{font-size:10px;fill:#64748b}
.life{opacity:.35}.crash{fill:#dc2626;font-size:16px;text-anchor:middle}.start,.restart{fill:#16a34a;font-size:11px}.stop{fill:#334155;font-size:11px}
.fault{fill:#f97316}.claim{fill:#2563eb}.grant-seen{fill:#059669}.place{fill:#7c3aed}
.token{font-size:10px;fill:#fff;font-weight:600}.lease rect{opacity:.85}
.hide-claim .claim,.hide-fault .fault,.hide-grant .grant-seen{display:none}
</style></head>
<body>
<h1>Timeline — ${title}</h1>
<p>${servers.length} server(s), ${Math.round(duration)} s of virtual time. Hover a mark for its details.</p>
<p class="legend"><span style="color:#dc2626">✖ crash</span><span style="color:#16a34a">▶ start / restart</span><span>■ graceful stop</span>
<span style="color:#f97316">▮ fault</span><span style="color:#2563eb">● claim sent</span><span style="color:#059669">● sent to the client (grant shown)</span>
<label><input type="checkbox" data-hide="claim"> hide claims</label> <label><input type="checkbox" data-hide="fault"> hide faults</label> <label><input type="checkbox" data-hide="grant"> hide client events</label></p>
<svg id="timeline" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">
${parts.join("\n")}
</svg>
<script type="application/json" id="timeline-data">${data}</script>
<script>
for (const box of document.querySelectorAll("input[data-hide]")) {
	box.addEventListener("change", () => document.body.classList.toggle("hide-" + box.dataset.hide, box.checked));
}
const data = JSON.parse(document.getElementById("timeline-data").textContent);
document.body.dataset.lanes = String(document.querySelectorAll(".lane").length);
document.body.dataset.servers = String(data.run.servers.length);
document.body.dataset.ready = "1";
</script>
</body></html>
`;
}
