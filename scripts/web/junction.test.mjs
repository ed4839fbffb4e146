// Tests of junction.js against real Junction pods (started by WebClientIT): JUNCTION_A and JUNCTION_B
// are the two pods' base URLs (they share a Redis), JUNCTION_A_PID the first pod's process id.
//   node --experimental-websocket --test scripts/web/junction.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { Junction } from "../../src/main/resources/META-INF/resources/junction.js";

const A = process.env.JUNCTION_A;
const B = process.env.JUNCTION_B;
const ws = (base) => base.replace(/^http/, "ws") + "/ws";

async function post(base, body) {
  const res = await fetch(`${base}/api/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  assert.equal(res.status, 202, await res.clone().text());
  return (await res.json()).id;
}

async function until(what, condition, ms = 15000) {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("subscribes, receives events posted over HTTP in order, and publishes with an ack", async () => {
  const got = [];
  const j = new Junction(ws(A));
  try {
    const reply = await j.subscribe("js:basic", (event) => got.push(event.id));
    assert.equal(reply.op, "subscribed");
    const ids = [await post(A, { type: "t", channel: "js:basic" }), await post(B, { type: "t", channel: "js:basic" })];
    const published = await j.publish("js:basic", "said", { text: "hi" });
    ids.push(published);
    await until("three events", () => got.length >= 3);
    assert.deepEqual(got, ids);
  } finally {
    j.close();
  }
});

test("a refused frame rejects the request with the server's error code", async () => {
  const j = new Junction(ws(A));
  try {
    await until("open", () => j.state === "open");
    await assert.rejects(j.publish("not a channel", "t", {}), (e) => e.code === "bad_request");
  } finally {
    j.close();
  }
});

test("after 1012 the client resumes on another pod with no gap and no duplicate", async () => {
  const urls = [ws(A), ws(B)];
  let attempt = 0;
  const states = [];
  const errors = [];
  const got = [];
  const j = new Junction(() => urls[Math.min(attempt++, 1)], {
    onState: (s, info) => states.push([s, info?.code]),
    onError: (e) => errors.push(e),
  });
  await j.subscribe("js:resume", (event) => got.push(event.id));
  // Posting starts once the subscription stands: every event posted from here on is owed to it.
  const posted = [];
  let posting = true;
  const poster = (async () => {
    while (posting) {
      posted.push(await post(B, { type: "tick", channel: "js:resume" }));
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    await until("some events before the restart", () => got.length >= 5);
    process.kill(Number(process.env.JUNCTION_A_PID), "SIGTERM");
    await until("a reconnect to the other pod", () => j.state === "open" && j.node !== "node-a" && j.node != null);
    await new Promise((r) => setTimeout(r, 300));
    posting = false;
    await poster;
    await until("every posted event", () => got.length >= posted.length).catch((e) => {
      const missing = posted.filter((id) => !got.includes(id));
      throw new Error(`${e.message}: got ${got.length}, posted ${posted.length}, missing ${missing.length}` +
        ` (first ${posted.indexOf(missing[0])}), states ${JSON.stringify(states)}, errors ${JSON.stringify(errors)}`);
    });
    assert.deepEqual(got, posted, "every event posted, in order");
    assert.equal(new Set(got).size, got.length, "no duplicates");
    assert.ok(states.some(([s, code]) => s === "connecting" && code === 1012), `closed with 1012: ${JSON.stringify(states)}`);
    assert.deepEqual(errors, []);
  } finally {
    posting = false;
    j.close();
  }
});
