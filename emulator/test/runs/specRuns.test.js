// `npm test` end to end on throw-away places: it passes a passing spec and fails, with the reason, on a
// failed expect, an error in a task.spawn'ed thread, a deadlocked spec and a TypeScript type error.
// One place holds every runtime case (compiled once); each case runs alone through the CLI's filter.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { makePlace, SPEC_HEADER } from "./placeFixture.js";
import { findNativeLuau } from "../../host/findNativeLuau.js";

const nativeLuau = findNativeLuau();
const noNative = nativeLuau.ok ? false : `no native Luau to run on (${nativeLuau.message})`;

let place;
before(() => {
	place = makePlace({
		"test/deep/inside/ok.spec.ts": `${SPEC_HEADER}export = () => { it("adds", () => expect(answer + 1).to.equal(43)); };\n`,
		"test/bad.spec.ts": `${SPEC_HEADER}export = () => { it("is wrong", () => expect(answer).to.equal(41)); };\n`,
		"test/thread.spec.ts": `${SPEC_HEADER}export = () => { it("spawns", () => { task.spawn(() => { task.wait(1); error("boom in thread"); }); task.wait(2); }); };\n`,
		"test/stuck.spec.ts": `${SPEC_HEADER}export = () => { it("waits forever", () => { const event = new Instance("BindableEvent"); event.Event.Wait(); }); };\n`,
	});
	const compiled = place.runTests("deep/inside/ok");
	assert.equal(compiled.status, 0, compiled.output);
});
after(() => place.remove());

test("a passing spec in a nested folder is found and the run exits 0", () => {
	const { status, output } = place.runTests("--no-compile", "deep/inside/ok");
	assert.equal(status, 0, output);
	assert.match(output, /^total: 1 passed, 0 failed, 0 skipped$/m);
});

test("a failing expect makes the run exit non-zero", () => {
	const { status, output } = place.runTests("--no-compile", "bad.spec");
	assert.equal(status, 1, output);
	assert.match(output, /0 passed, 1 failed/);
	assert.match(output, /FAILED: 1 spec\(s\) failed/);
});

test("an error inside a task.spawn'ed thread fails the run with its message and traceback", () => {
	const { status, output } = place.runTests("--no-compile", "thread.spec");
	assert.equal(status, 1, output);
	assert.match(output, /FAILED: uncaught error: .*thread\.spec:\d+: boom in thread/);
	assert.match(output, /Stack Begin/);
});

test("a spec that waits for something that can never happen is reported as a deadlock", () => {
	const { status, output } = place.runTests("--no-compile", "stuck.spec");
	assert.equal(status, 1, output);
	assert.match(output, /FAILED: deadlock: the main thread is suspended and nothing is scheduled/);
	assert.match(output, /stuck\.spec:\d+/);
});

test("the same seed gives the same output, line for line", () => {
	const strip = (text) => text.replace(/Specs ran in .*\n/, "").replace(/compiled in [\d.]+ s/, "");
	const first = place.runTests("--no-compile", "thread.spec", "ok.spec");
	const second = place.runTests("--no-compile", "thread.spec", "ok.spec");
	assert.equal(first.status, 1, first.output);
	assert.equal(strip(second.output), strip(first.output));
});

test("on native Luau, a failing expect fails the run and every case prints what it prints on luau-web", { skip: noNative }, () => {
	const strip = (text) =>
		text
			.replace(/Specs ran in .*\n/, "")
			.replace(/compiled in [\d.]+ s, seed (\d+), on .*/, "seed $1")
			.replace(/ --vm native/, "");
	const failing = place.runTests("--no-compile", "--vm", "native", "bad.spec");
	assert.equal(failing.status, 1, failing.output);
	assert.match(failing.output, /0 passed, 1 failed/);
	assert.match(failing.output, /FAILED: 1 spec\(s\) failed/);
	const cases = ["ok.spec", "bad.spec", "thread.spec", "stuck.spec"];
	const web = place.runTests("--no-compile", ...cases);
	const native = place.runTests("--no-compile", "--vm", "native", ...cases);
	assert.equal(native.status, 1, native.output);
	assert.match(native.output, /on native Luau -O1/);
	assert.equal(strip(native.output), strip(web.output));
});

test("a TypeScript type error fails the run before anything executes", () => {
	const typeErrorPlace = makePlace({ "test/types.spec.ts": `${SPEC_HEADER}const wrong: string = answer;\nexport = () => {};\n` });
	try {
		const { status, output } = typeErrorPlace.runTests();
		assert.equal(status, 1, output);
		assert.match(output, /TypeScript compile failed/);
		assert.match(output, /TS2322/);
	} finally {
		typeErrorPlace.remove();
	}
});
