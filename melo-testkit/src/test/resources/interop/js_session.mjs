// A real matrix-js-sdk session against the standalone FakeHomeserver (manual interop check).
if (!Promise.withResolvers) { Promise.withResolvers = function () { let resolve, reject; const promise = new Promise((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; }; } // Node 20
import * as sdk from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";
logger.setLevel("warn");
const url = process.argv[2];
const results = [];
const check = (name, good, extra = "") => { results.push(good); console.log((good ? "OK  " : "BAD ") + name + (good ? "" : " " + extra)); };
const timeout = (ms, what) => new Promise((_, rej) => setTimeout(() => rej(new Error("timeout: " + what)), ms));

async function register(name) {
  const c = sdk.createClient({ baseUrl: url });
  let session;
  try {
    await c.registerRequest({ username: name, password: "pw-" + name + "-123" });
  } catch (e) {
    session = e.data?.session;
    check("UIA 401 for " + name, e.httpStatus === 401 && !!session, JSON.stringify(e.data));
  }
  const r = await c.registerRequest({ username: name, password: "pw-" + name + "-123", auth: { type: "m.login.dummy", session } });
  check("registered " + name, !!r.access_token);
  return sdk.createClient({ baseUrl: url, accessToken: r.access_token, userId: r.user_id, deviceId: r.device_id });
}

async function started(client) {
  const prepared = new Promise((res, rej) => client.on(sdk.ClientEvent.Sync, (state, prev, data) => {
    if (state === "PREPARED") res(); else if (state === "ERROR") rej(data?.error ?? new Error("sync error"));
  }));
  await client.startClient({ initialSyncLimit: 10 });
  await Promise.race([prepared, timeout(15000, "PREPARED")]);
}

try {
  const alice = await register("alice");
  const bob = await register("bob");
  await started(alice);
  check("alice PREPARED", true);
  await started(bob);
  check("bob PREPARED", true);
  const { room_id } = await alice.createRoom({ name: "lobby", preset: "public_chat", room_alias_name: "lobby" });
  check("createRoom", room_id.startsWith("!"));
  await alice.sendStateEvent(room_id, "m.room.topic", { topic: "hi" }, "");
  const joined = await bob.joinRoom("#lobby:localhost");
  check("bob joined by alias", joined.roomId === room_id);
  const got = new Promise((res) => bob.on(sdk.RoomEvent.Timeline, (ev, room) => {
    if (room?.roomId === room_id && ev.getType() === "m.room.message" && ev.getContent().body === "hello js") res(ev);
  }));
  const sent = await alice.sendTextMessage(room_id, "hello js");
  check("alice sent", sent.event_id.startsWith("$"));
  const ev = await Promise.race([got, timeout(15000, "bob receives the message live")]);
  check("bob received it live through the long poll", ev.getId() === sent.event_id);
  await Promise.race([alice.setAccountData("io.melo.test", { k: 1 }), timeout(15000, "setAccountData echo")]);
  check("setAccountData came back through sync", alice.getAccountData("io.melo.test")?.getContent().k === 1);
  await bob.sendReadReceipt(ev);
  check("read receipt", true);
  const rel = await alice.relations(room_id, sent.event_id, "m.annotation");
  check("relations", Array.isArray(rel.events));
  const hierarchy = await alice.getRoomHierarchy(room_id);
  check("hierarchy", Array.isArray(hierarchy.rooms));
  await alice.redactEvent(room_id, sent.event_id);
  check("redact", true);
  await bob.leave(room_id);
  check("leave", true);
  alice.stopClient(); bob.stopClient();
  await alice.logout(true);
  check("logout", true);
  await bob.logout(true);
} catch (e) {
  check("exception", false, String(e?.stack ?? e) + " " + JSON.stringify(e?.data ?? {}));
}
console.log(results.every(Boolean) ? "ALL OK" : "SOME FAILED");
process.exit(results.every(Boolean) ? 0 : 1);
