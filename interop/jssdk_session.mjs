// A scripted matrix-js-sdk session against a homeserver, as a new user (or Element) would run it.
//
// Usage: node interop/jssdk_session.mjs http://127.0.0.1:8008 [--trace]
// matrix-js-sdk is loaded from interop/node_modules (`npm install` in interop/), or from the folder
// named by JSSDK_DIR (to try another version). JSSDK_LOG=warn shows the SDK's own log.
//
// Two users register through the user-interactive flow (401 with a session, then m.login.dummy),
// log in, start their clients (waiting for PREPARED), create a room, invite and join, chat and
// receive each other's messages live through Room.timeline, edit, react, redact, type, send read
// receipts, read and write state, set a display name, set account data and leave. Every step
// prints one PASS or FAIL line; the exit code is the number of failures (capped at 100).
// Every wait is bounded.

import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import crypto from "node:crypto";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const TRACE = process.argv.includes("--trace");
if (args.length !== 1) {
  console.error("usage: node interop/jssdk_session.mjs <homeserver base url> [--trace]");
  process.exit(2);
}
const BASE = args[0].replace(/\/+$/, "");
const STEP_TIMEOUT_MS = 20000;
const LIVE_TIMEOUT_MS = 10000;

// matrix-js-sdk 37.6+ declares Node 22 and uses Promise.withResolvers (Node 22); this is the standard
// polyfill, so newer versions (43 is what Element Web uses) also run on Node 20.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

// Load matrix-js-sdk from JSSDK_DIR (or this script's folder).
const sdkRoot = process.env.JSSDK_DIR || path.dirname(fileURLToPath(import.meta.url));
const requireFromRoot = createRequire(path.join(sdkRoot, "package.json"));
const sdkEntry = requireFromRoot.resolve("matrix-js-sdk");
const sdk = await import(pathToFileURL(sdkEntry).href);
const { logger } = await import(pathToFileURL(path.join(path.dirname(sdkEntry), "logger.js")).href);
logger.setLevel(process.env.JSSDK_LOG || "error");
// js-sdk logs these at error level in normal operation against any server: the MatrixRTC manager sees the
// state of a brand-new room before the sync loop stores the room; a refused request (expected by a step
// below) is logged with its stack; a refused token without a refresh token is logged once. Drop only those.
const BENIGN = [/Got room state event for unknown room/, /^Error sending event M_FORBIDDEN/,
  /Unable to refresh token - no refresh token/, /RTCTransports.*M_UNRECOGNIZED/];
for (const level of ["error", "warn"]) {
  const original = console[level].bind(console);
  console[level] = (...a) => {
    const text = a.map((x) => (typeof x === "string" ? x : x?.errcode ?? "")).join(" ");
    if (!process.env.JSSDK_LOG && BENIGN.some((re) => re.test(text))) return;
    original(...a);
  };
}
// Newer versions log their progress through console.log/info/debug whatever the level: keep stdout for
// the PASS/FAIL lines unless JSSDK_LOG asks for the SDK's log.
const out = (line) => process.stdout.write(line + "\n");
if (!process.env.JSSDK_LOG) {
  for (const level of ["log", "info", "debug"]) console[level] = () => {};
}
const sdkVersion = requireFromRoot("matrix-js-sdk/package.json").version;
out(`matrix-js-sdk ${sdkVersion} on node ${process.version} against ${BASE}`);

const { createClient, ClientEvent, RoomEvent, RoomMemberEvent, RoomStateEvent, SyncState, Direction, MatrixError } =
  sdk;

const passes = [];
const failures = [];
function record(name, ok, detail = "") {
  if (ok) {
    passes.push(name);
    out(`PASS js-sdk: ${name}`);
  } else {
    failures.push(name);
    out(`FAIL js-sdk: ${name}: ${detail}`);
  }
  return ok;
}

function describe(e) {
  if (e instanceof MatrixError || (e && e.errcode)) {
    return `${e.httpStatus} ${e.errcode}: ${e.data?.error ?? e.message}`;
  }
  return e && e.stack ? String(e.stack).split("\n").slice(0, 3).join(" | ") : String(e);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Runs fn (bounded); PASS if it resolves and check(result) returns nothing; returns the result or undefined. */
async function step(name, fn, check) {
  let result;
  try {
    result = await withTimeout(Promise.resolve().then(fn), STEP_TIMEOUT_MS, name);
  } catch (e) {
    record(name, false, describe(e));
    return undefined;
  }
  if (check) {
    let problem;
    try {
      problem = check(result);
    } catch (e) {
      problem = describe(e);
    }
    if (problem) {
      record(name, false, problem);
      return undefined;
    }
  }
  record(name, true);
  return result;
}

/** Runs fn expecting it to reject with errcode; PASS if it does. */
async function expectError(name, fn, errcode) {
  try {
    const r = await withTimeout(Promise.resolve().then(fn), STEP_TIMEOUT_MS, name);
    record(name, false, `succeeded: ${JSON.stringify(r)}`);
  } catch (e) {
    record(name, e.errcode === errcode, `expected ${errcode}, got ${describe(e)}`);
    return e;
  }
  return undefined;
}

/**
 * Listens on emitter for eventName until predicate(...args) is true. Call before the action that causes it,
 * await the returned promise after. Resolves to the matching args, or undefined on timeout.
 */
function waitFor(emitter, eventName, predicate, timeoutMs = LIVE_TIMEOUT_MS) {
  return new Promise((resolve) => {
    const listener = (...a) => {
      let ok = false;
      try {
        ok = predicate(...a);
      } catch {
        ok = false;
      }
      if (ok) {
        cleanup();
        resolve(a);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      resolve(undefined);
    }, timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      emitter.removeListener(eventName, listener);
    }
    emitter.on(eventName, listener);
  });
}

async function live(name, promise, detail = "not received live within the timeout") {
  const got = await promise;
  record(name, got !== undefined, detail);
  return got;
}

function tracingFetch(label) {
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const shown = url.replace(BASE, "").replace(/access_token=[^&]*/, "access_token=<redacted>");
    const started = Date.now();
    try {
      const res = await fetch(input, init);
      if (TRACE) console.error(`  [trace ${label}] ${init?.method ?? "GET"} ${shown} -> ${res.status} in ${Date.now() - started} ms`);
      return res;
    } catch (e) {
      if (TRACE) console.error(`  [trace ${label}] ${init?.method ?? "GET"} ${shown} -> ${e}`);
      throw e;
    }
  };
}

/** The UIA registration dance as Element does it: first without auth, then m.login.dummy with the session. */
async function register(username, password) {
  const anon = createClient({ baseUrl: BASE, fetchFn: tracingFetch("anon") });
  const body = { username, password, initial_device_display_name: `js-sdk ${username}` };
  const first = await step(`register ${username}: first request is answered 401 with session and flows`, async () => {
    try {
      const r = await anon.registerRequest(body);
      throw new Error(`expected 401, registered without auth: ${JSON.stringify(r)}`);
    } catch (e) {
      if (e.httpStatus !== 401) throw e;
      return e.data;
    }
  }, (d) => (typeof d.session === "string" && d.session && Array.isArray(d.flows)
      && d.flows.some((f) => Array.isArray(f.stages) && f.stages.includes("m.login.dummy"))
      ? undefined : `401 body: ${JSON.stringify(d)}`));
  if (!first) return undefined;
  return step(`register ${username}: retry with m.login.dummy and the session`,
    () => anon.registerRequest({ ...body, auth: { type: "m.login.dummy", session: first.session } }),
    (r) => (r.user_id?.startsWith(`@${username}:`) && r.access_token && r.device_id ? undefined : JSON.stringify(r)));
}

function clientFor(creds, label) {
  return createClient({
    baseUrl: BASE,
    accessToken: creds.access_token,
    userId: creds.user_id,
    deviceId: creds.device_id,
    fetchFn: tracingFetch(label),
    timelineSupport: true,
  });
}

async function startAndWaitPrepared(client, label) {
  const prepared = waitFor(client, ClientEvent.Sync, (state) => state === SyncState.Prepared, STEP_TIMEOUT_MS);
  const errored = waitFor(client, ClientEvent.Sync, (state) => state === SyncState.Error, STEP_TIMEOUT_MS);
  await client.startClient({ initialSyncLimit: 20 });
  const first = await Promise.race([prepared.then((a) => a && "prepared"), errored.then((a) => a && "error")]);
  record(`${label} startClient reaches PREPARED`, first === "prepared",
    first === "error" ? `sync state ERROR: ${describe(client.getSyncStateData()?.error)}` : "no PREPARED within timeout");
  return first === "prepared";
}

function isLive(room, roomId) {
  return room && room.roomId === roomId;
}

async function main() {
  const suffix = crypto.randomBytes(4).toString("hex");
  const password = "correct horse battery staple";
  const aliceCreds = await register(`alice_${suffix}`, password);
  const bobCreds = await register(`bob_${suffix}`, password);
  if (!aliceCreds || !bobCreds) return;

  const anon = createClient({ baseUrl: BASE, fetchFn: tracingFetch("anon") });
  await step("GET /login lists m.login.password", () => anon.loginFlows(),
    (r) => (r.flows.some((f) => f.type === "m.login.password") ? undefined : JSON.stringify(r)));
  const second = await step("password login (loginRequest) gives a new device",
    () => anon.loginRequest({ type: "m.login.password", identifier: { type: "m.id.user", user: `alice_${suffix}` }, password }),
    (r) => (r.user_id === aliceCreds.user_id && r.device_id !== aliceCreds.device_id && r.access_token
      ? undefined : JSON.stringify({ user_id: r.user_id, device_id: r.device_id })));
  await expectError("wrong password is refused",
    () => anon.loginRequest({ type: "m.login.password", identifier: { type: "m.id.user", user: `alice_${suffix}` }, password: "x" }),
    "M_FORBIDDEN");

  const alice = clientFor(aliceCreds, "alice");
  const bob = clientFor(bobCreds, "bob");
  try {
    await step("whoami", () => alice.whoami(),
      (r) => (r.user_id === aliceCreds.user_id && r.device_id === aliceCreds.device_id ? undefined : JSON.stringify(r)));
    await step("GET /versions advertises a v1.x version", () => alice.getVersions(),
      (r) => (r.versions.some((v) => /^v1\.\d+$/.test(v)) ? undefined : JSON.stringify(r)));
    if (!(await startAndWaitPrepared(alice, "alice"))) return;
    if (!(await startAndWaitPrepared(bob, "bob"))) return;

    // --- room, invite, join
    const aliasLocal = `room_${suffix}`;
    const created = await step("alice creates a room (name, topic, alias)",
      () => alice.createRoom({ name: "Interop JS", topic: "js test", room_alias_name: aliasLocal, preset: "private_chat" }),
      (r) => (r.room_id?.startsWith("!") ? undefined : JSON.stringify(r)));
    if (!created) return;
    const roomId = created.room_id;
    await step("alice's client knows the room with its name (through sync)",
      () => waitUntil(() => alice.getRoom(roomId)?.name === "Interop JS", "room name in alice's store"));
    const serverName = aliceCreds.user_id.split(":").slice(1).join(":");
    await step("resolve the alias", () => bob.getRoomIdForAlias(`#${aliasLocal}:${serverName}`),
      (r) => (r.room_id === roomId && r.servers?.length ? undefined : JSON.stringify(r)));

    const invited = waitFor(bob, RoomEvent.MyMembership, (room, membership) => room.roomId === roomId && membership === "invite");
    await step("alice invites bob", () => alice.invite(roomId, bobCreds.user_id));
    await live("bob's client sees the invite (Room.myMembership invite)", invited);

    const joinSeen = waitFor(alice, RoomEvent.Timeline, (ev, room) => isLive(room, roomId)
      && ev.getType() === "m.room.member" && ev.getStateKey() === bobCreds.user_id && ev.getContent().membership === "join");
    await step("bob joins (POST /join/{roomId})", () => bob.joinRoom(roomId),
      (room) => (room.roomId === roomId ? undefined : room.roomId));
    await live("alice sees bob's join live", joinSeen);
    await step("bob's client has the room as joined with its name",
      () => waitUntil(() => bob.getRoom(roomId)?.getMyMembership() === "join" && bob.getRoom(roomId)?.name === "Interop JS",
        "bob's room joined and named"));

    // --- messages, live through Room.timeline
    const bobGets = waitFor(bob, RoomEvent.Timeline, (ev, room, toStart, removed, data) => isLive(room, roomId)
      && !toStart && data?.liveEvent && ev.getType() === "m.room.message" && ev.getContent().body === "hello bob"
      && ev.getSender() === aliceCreds.user_id && !ev.status);
    const sent = await step("alice sends a message", () => alice.sendMessage(roomId, { msgtype: "m.text", body: "hello bob" }),
      (r) => (r.event_id?.startsWith("$") ? undefined : JSON.stringify(r)));
    const got = await live("bob receives it live (Room.timeline, liveEvent)", bobGets);
    if (got) {
      record("the received event has the sent event id", got[0].getId() === sent?.event_id, `${got[0].getId()} vs ${sent?.event_id}`);
    }
    const msgId = sent?.event_id;

    const aliceGets = waitFor(alice, RoomEvent.Timeline, (ev, room, toStart, removed, data) => isLive(room, roomId)
      && data?.liveEvent && ev.getSender() === bobCreds.user_id && ev.getContent().body === "hi alice");
    const reply = await step("bob replies", () => bob.sendMessage(roomId, { msgtype: "m.text", body: "hi alice" }));
    await live("alice receives the reply live", aliceGets);
    const replyId = reply?.event_id;

    // --- local echo: alice's own message is confirmed by the remote echo (transaction_id match)
    const echo = waitFor(alice, RoomEvent.LocalEchoUpdated, (ev, room, oldId, oldStatus) => isLive(room, roomId)
      && ev.getContent().body === "echo me" && ev.status === null);
    await step("alice sends another message", () => alice.sendMessage(roomId, { msgtype: "m.text", body: "echo me" }));
    await live("alice's local echo is confirmed (status null after the remote echo)", echo);
    await step("alice's timeline holds exactly one copy of it (remote echo matched by transaction_id)",
      () => waitUntil(() => alice.getRoom(roomId).getLiveTimeline().getEvents()
        .filter((e) => e.getContent().body === "echo me").length === 1, "exactly one 'echo me'", 3000));

    // --- edit
    const bobSeesEdit = waitFor(bob, RoomEvent.Timeline, (ev, room) => isLive(room, roomId)
      && ev.getRelation()?.rel_type === "m.replace" && ev.getRelation()?.event_id === msgId);
    await step("alice edits her message (m.replace)", () => alice.sendEvent(roomId, "m.room.message", {
      msgtype: "m.text", body: "* hello bob (edited)",
      "m.new_content": { msgtype: "m.text", body: "hello bob (edited)" },
      "m.relates_to": { rel_type: "m.replace", event_id: msgId },
    }));
    await live("bob receives the edit live", bobSeesEdit);
    await step("bob's client shows the original with the edited content",
      () => waitUntil(() => bob.getRoom(roomId).findEventById(msgId)?.getContent().body === "hello bob (edited)",
        "edited body applied", 3000));

    // --- reaction
    const aliceSeesReaction = waitFor(alice, RoomEvent.Timeline, (ev, room) => isLive(room, roomId)
      && ev.getType() === "m.reaction" && ev.getRelation()?.key === "👍");
    const reaction = await step("bob reacts 👍 (m.reaction)", () => bob.sendEvent(roomId, "m.reaction", {
      "m.relates_to": { rel_type: "m.annotation", event_id: msgId, key: "👍" },
    }));
    await live("alice receives the reaction live", aliceSeesReaction);
    await step("GET /v1/relations/{event}/m.annotation lists the reaction",
      () => alice.fetchRelations(roomId, msgId, "m.annotation", null),
      (r) => (r.chunk.some((e) => e.event_id === reaction?.event_id) ? undefined : JSON.stringify(r).slice(0, 300)));
    await step("GET /v1/relations/{event}/m.annotation/m.reaction lists it too",
      () => alice.fetchRelations(roomId, msgId, "m.annotation", "m.reaction"),
      (r) => (r.chunk.some((e) => e.event_id === reaction?.event_id) ? undefined : JSON.stringify(r).slice(0, 300)));
    await step("GET /v1/relations/{event} (any type) lists the edit and the reaction",
      () => alice.fetchRelations(roomId, msgId, null, null),
      (r) => (r.chunk.some((e) => e.event_id === reaction?.event_id) && r.chunk.some((e) => e.content?.["m.relates_to"]?.rel_type === "m.replace")
        ? undefined : JSON.stringify(r).slice(0, 300)));

    // --- redaction
    const bobSeesRedaction = waitFor(bob, RoomEvent.Redaction, (ev, room) => isLive(room, roomId)
      && (ev.event?.redacts === replyId || ev.getContent()?.redacts === replyId));
    await step("alice redacts bob's reply", () => alice.redactEvent(roomId, replyId, undefined, { reason: "tidy" }));
    await live("bob's client applies the redaction live (Room.redaction)", bobSeesRedaction);
    await step("bob's copy of the reply is now redacted (content emptied)",
      () => waitUntil(() => {
        const ev = bob.getRoom(roomId).findEventById(replyId);
        return ev?.isRedacted() && Object.keys(ev.getContent()).length === 0;
      }, "redacted reply", 3000));
    await expectError("bob may not redact alice's message", () => bob.redactEvent(roomId, msgId), "M_FORBIDDEN");

    // --- typing
    const typingOn = waitFor(alice, RoomMemberEvent.Typing, (ev, member) => member.roomId === roomId
      && member.userId === bobCreds.user_id && member.typing === true);
    await step("bob starts typing", () => bob.sendTyping(roomId, true, 20000));
    await live("alice sees bob typing (RoomMember.typing)", typingOn);
    const typingOff = waitFor(alice, RoomMemberEvent.Typing, (ev, member) => member.roomId === roomId
      && member.userId === bobCreds.user_id && member.typing === false);
    await step("bob stops typing", () => bob.sendTyping(roomId, false, 0));
    await live("alice sees bob stop typing", typingOff);

    // --- read receipt
    const receiptSeen = waitFor(alice, RoomEvent.Receipt, (ev, room) => isLive(room, roomId)
      && JSON.stringify(ev.getContent()).includes(bobCreds.user_id));
    const bobMsgEvent = bob.getRoom(roomId).findEventById(msgId);
    await step("bob sends a read receipt (POST /receipt/m.read/{event})", () => bob.sendReadReceipt(bobMsgEvent));
    await live("alice receives bob's receipt live (Room.receipt)", receiptSeen);
    await step("alice's room says bob has read up to that message",
      () => waitUntil(() => alice.getRoom(roomId).getEventReadUpTo(bobCreds.user_id) !== null
        && alice.getRoom(roomId).hasUserReadEvent(bobCreds.user_id, msgId), "bob read up to msg", 3000));

    // --- state get/put
    const topicSeen = waitFor(bob, RoomStateEvent.Events, (ev) => ev.getRoomId() === roomId
      && ev.getType() === "m.room.topic" && ev.getContent().topic === "new topic");
    await step("alice sets the topic (PUT /state/m.room.topic/)", () => alice.setRoomTopic(roomId, "new topic"));
    await live("bob's room state updates live", topicSeen);
    await step("bob gets the topic (GET /state/m.room.topic/)", () => bob.getStateEvent(roomId, "m.room.topic", ""),
      (c) => (c.topic === "new topic" ? undefined : JSON.stringify(c)));
    await step("custom state with a state key", () => alice.sendStateEvent(roomId, "org.example.widget", { url: "https://example.org" }, "w1"));
    await step("read it back", () => bob.getStateEvent(roomId, "org.example.widget", "w1"),
      (c) => (c.url === "https://example.org" ? undefined : JSON.stringify(c)));
    await step("GET /rooms/{id}/state lists create, power levels, members and topic", () => bob.roomState(roomId),
      (evs) => (["m.room.create", "m.room.power_levels", "m.room.member", "m.room.topic"].every((t) => evs.some((e) => e.type === t))
        ? undefined : evs.map((e) => e.type).join(",")));
    await expectError("missing state is M_NOT_FOUND", () => bob.getStateEvent(roomId, "m.room.avatar", ""), "M_NOT_FOUND");
    await expectError("bob may not raise his own power level",
      () => bob.sendStateEvent(roomId, "m.room.power_levels", { users: { [bobCreds.user_id]: 100 } }, ""), "M_FORBIDDEN");

    // --- history
    await step("GET /messages backwards returns the history", () => bob.createMessagesRequest(roomId, null, 50, Direction.Backward),
      (r) => (r.chunk.some((e) => e.event_id === msgId) && r.start ? undefined : `${r.chunk.length} events, start ${r.start}`));
    await step("members lists both as joined", () => bob.members(roomId),
      (r) => (r.chunk.filter((e) => e.content.membership === "join").length === 2 ? undefined : JSON.stringify(r.chunk.map((e) => [e.state_key, e.content.membership]))));
    await step("getJoinedRooms contains the room", () => bob.getJoinedRooms(),
      (r) => (r.joined_rooms.includes(roomId) ? undefined : JSON.stringify(r)));
    await step("scrollback on alice's client loads earlier events without error",
      () => alice.scrollback(alice.getRoom(roomId), 30));

    // --- profile
    const nameSeen = waitFor(alice, RoomMemberEvent.Name, (ev, member) => member.roomId === roomId
      && member.userId === bobCreds.user_id && member.name === "Bob Builder");
    await step("bob sets his display name", () => bob.setDisplayName("Bob Builder"));
    await live("alice sees bob's new name in the room (RoomMember.name)", nameSeen);
    await step("profile lookup returns it", () => alice.getProfileInfo(bobCreds.user_id),
      (r) => (r.displayname === "Bob Builder" ? undefined : JSON.stringify(r)));

    // --- account data (resolves only when it comes back through /sync)
    await step("setAccountData resolves (echoed through /sync)",
      () => alice.setAccountData("org.example.settings", { theme: "dark" }));
    await step("room account data via /sync (m.tag through setRoomTag)",
      () => alice.setRoomTag(roomId, "m.favourite", { order: 0.5 }));
    await step("the tag reaches alice's room through /sync",
      () => waitUntil(() => alice.getRoom(roomId).tags["m.favourite"]?.order === 0.5, "m.favourite tag", 5000));

    // --- leave
    const leaveSeen = waitFor(alice, RoomEvent.Timeline, (ev, room) => isLive(room, roomId)
      && ev.getType() === "m.room.member" && ev.getStateKey() === bobCreds.user_id && ev.getContent().membership === "leave");
    const bobLeft = waitFor(bob, RoomEvent.MyMembership, (room, membership) => room.roomId === roomId && membership === "leave");
    await step("bob leaves", () => bob.leave(roomId));
    await live("alice sees bob leave live", leaveSeen);
    await live("bob's client moves the room to left", bobLeft);
    await expectError("after leaving, bob may not send", () => bob.sendEvent(roomId, "m.room.message", { msgtype: "m.text", body: "ghost" }, "ghost1"), "M_FORBIDDEN");

    record("alice's sync loop is still SYNCING", alice.getSyncState() === SyncState.Syncing, `state ${alice.getSyncState()}`);
    record("bob's sync loop is still SYNCING", bob.getSyncState() === SyncState.Syncing, `state ${bob.getSyncState()}`);

    await extended(alice, bob, aliceCreds, bobCreds);

    // --- logout of the second device (POST /logout with no body)
    if (second) {
      const c2 = clientFor(second, "alice2");
      await step("the second device logs out (POST /logout, no body)", () => c2.logout());
      await expectError("its token is then refused", () => c2.whoami(), "M_UNKNOWN_TOKEN");
    }
  } finally {
    alice.stopClient();
    bob.stopClient();
  }
}

/** Element-style features: threads, lazy members, media, spaces, DMs, directory, moderation, counts, history. */
async function extended(alice, bob, aliceCreds, bobCreds) {
  const bobId = bobCreds.user_id;
  // --- refresh tokens (login with refresh_token: true, then POST /refresh)
  const anonR = createClient({ baseUrl: BASE, fetchFn: tracingFetch("anon") });
  const withRefresh = await step("login asking for a refresh token gets refresh_token and expires_in_ms",
    () => anonR.loginRequest({ type: "m.login.password", identifier: { type: "m.id.user", user: aliceCreds.user_id },
      password: "correct horse battery staple", refresh_token: true }),
    (r) => (r.refresh_token && r.expires_in_ms > 0 ? undefined : JSON.stringify(Object.keys(r))));
  if (withRefresh) {
    const c = clientFor(withRefresh, "alice-r");
    const renewed = await step("POST /refresh gives a new access token", () => c.refreshToken(withRefresh.refresh_token),
      (r) => (r.access_token && r.access_token !== withRefresh.access_token ? undefined : JSON.stringify(Object.keys(r))));
    if (renewed) {
      await step("the new token works", () => clientFor({ ...withRefresh, access_token: renewed.access_token }, "alice-r2").whoami(),
        (r) => (r.user_id === aliceCreds.user_id ? undefined : JSON.stringify(r)));
    }
  }

  // --- capabilities and push rules as the client fetched them
  await step("GET /capabilities has m.change_password and m.room_versions", () => alice.getCapabilities(),
    (c) => (c["m.room_versions"]?.default && c["m.room_versions"]?.available ? undefined : JSON.stringify(c)));
  await step("push rules have the default override and underride rules", () => alice.getPushRules(),
    (r) => (r.global?.override?.some((x) => x.rule_id === ".m.rule.master")
      && r.global?.underride?.some((x) => x.rule_id === ".m.rule.message") ? undefined : JSON.stringify(r).slice(0, 200)));

  // --- a public room in the directory, joined by bob, with highlight counts
  const pub = await step("alice creates a public room published in the directory",
    () => alice.createRoom({ name: "Lobby", preset: "public_chat", visibility: "public" }));
  if (!pub) return;
  const room = pub.room_id;
  await step("publicRooms lists it", () => bob.publicRooms({ limit: 50 }),
    (r) => (r.chunk.some((x) => x.room_id === room && x.name === "Lobby") ? undefined : JSON.stringify(r).slice(0, 300)));
  await step("bob joins from the directory", () => bob.joinRoom(room));
  await step("bob's client has the room joined",
    () => waitUntil(() => bob.getRoom(room)?.getMyMembership() === "join", "bob joined lobby"));

  await step("alice mentions bob (m.mentions)", () => alice.sendMessage(room, {
    msgtype: "m.text", body: "Bob Builder, look", "m.mentions": { user_ids: [bobId] } }));
  await step("bob's room gets notification and highlight counts (unread_notifications)",
    () => waitUntil(() => bob.getRoom(room)?.getUnreadNotificationCount("highlight") === 1
      && bob.getRoom(room)?.getUnreadNotificationCount("total") >= 1, "highlight 1", LIVE_TIMEOUT_MS));

  // --- threads
  const root = await step("alice starts a thread root", () => alice.sendMessage(room, { msgtype: "m.text", body: "thread root" }));
  if (root) {
    const threadReply = waitFor(alice, RoomEvent.Timeline, (ev, r) => isLive(r, room)
      && ev.getRelation()?.rel_type === "m.thread" && ev.getRelation()?.event_id === root.event_id);
    const threadReplyId = (await step("bob replies in the thread (m.thread)", () => bob.sendMessage(room, root.event_id, {
      msgtype: "m.text", body: "in thread",
      "m.relates_to": { rel_type: "m.thread", event_id: root.event_id, is_falling_back: true,
        "m.in_reply_to": { event_id: root.event_id } } })))?.event_id;
    await live("alice receives the thread reply live", threadReply);
    const threadReceipt = waitFor(bob, RoomEvent.Receipt, (ev, r) => isLive(r, room)
      && JSON.stringify(ev.getContent()).includes(`"thread_id":"${root.event_id}"`));
    const replyInThread = threadReplyId && alice.getRoom(room)?.findEventById(threadReplyId);
    if (replyInThread) {
      await step("alice sends a threaded read receipt (body {thread_id: root})",
        () => alice.sendReceipt(replyInThread, "m.read", { thread_id: root.event_id }));
      await live("the threaded receipt reaches bob through /sync with its thread_id", threadReceipt);
    } else {
      record("alice's client holds bob's thread reply", false, `reply id ${threadReplyId}`);
    }
    await step("GET /v1/rooms/{r}/threads lists the root", () => alice.createThreadListMessagesRequest(room, null, 20, Direction.Backward),
      (r) => (r.chunk.some((e) => e.event_id === root.event_id) ? undefined : JSON.stringify(r).slice(0, 300)));
    await step("GET /event of the root bundles the m.thread summary (count 1, latest_event)",
      () => alice.fetchRoomEvent(room, root.event_id),
      (e) => (e.unsigned?.["m.relations"]?.["m.thread"]?.count === 1
        && e.unsigned["m.relations"]["m.thread"].latest_event?.content?.body === "in thread"
        ? undefined : JSON.stringify(e.unsigned)));
  }

  // --- a fresh device for bob with lazy-loaded members, thread support and a small initial sync
  const more = await step("alice sends 30 more messages", async () => {
    for (let i = 0; i < 30; i++) await alice.sendMessage(room, { msgtype: "m.text", body: `filler ${i}` });
    return true;
  });
  const anon = createClient({ baseUrl: BASE, fetchFn: tracingFetch("anon") });
  const login = await step("bob logs in on a new device",
    () => anon.loginRequest({ type: "m.login.password", identifier: { type: "m.id.user", user: bobId }, password: "correct horse battery staple" }));
  if (login && more !== undefined) {
    const bob2 = clientFor(login, "bob2");
    const prepared = waitFor(bob2, ClientEvent.Sync, (st) => st === SyncState.Prepared, STEP_TIMEOUT_MS);
    await bob2.startClient({ initialSyncLimit: 5, lazyLoadMembers: true, threadSupport: true });
    record("bob's new device (lazy members, threads) reaches PREPARED", (await prepared) !== undefined,
      `sync state ${bob2.getSyncState()}`);
    try {
      const r2 = bob2.getRoom(room);
      record("the initial sync timeline is limited to 5 with a back token",
        !!r2 && r2.getLiveTimeline().getEvents().length <= 6 && !!r2.getLiveTimeline().getPaginationToken(Direction.Backward),
        r2 ? `${r2.getLiveTimeline().getEvents().length} events, token ${r2.getLiveTimeline().getPaginationToken(Direction.Backward)}` : "no room");
      record("bob's new device knows the room's state although it is older than its 5 timeline events",
        r2?.name === "Lobby" && r2?.getJoinRule() === "public" && !!r2?.currentState.getStateEvents("m.room.create", ""),
        `name ${JSON.stringify(r2?.name)}, join rule ${r2?.getJoinRule()}, create ${!!r2?.currentState.getStateEvents("m.room.create", "")}`);
      if (r2) {
        await step("loadMembersIfNeeded (GET /members?at=<sync token>)", () => r2.loadMembersIfNeeded());
        await step("both members known after lazy loading",
          () => waitUntil(() => r2.getMember(aliceCreds.user_id)?.membership === "join" && r2.getMember(bobId)?.membership === "join",
            "members loaded", 3000));
        await step("scrollback pages back to the room's creation through prev_batch tokens", async () => {
          for (let i = 0; i < 10 && r2.getLiveTimeline().getPaginationToken(Direction.Backward); i++) {
            await bob2.scrollback(r2, 20);
          }
          return r2.getLiveTimeline().getEvents();
        }, (evs) => (evs[0]?.getType() === "m.room.create"
          && evs.filter((e) => e.getContent().body?.startsWith("filler ")).length === 30
          ? undefined : `first ${evs[0]?.getType()}, ${evs.length} events, fillers ${evs.filter((e) => e.getContent().body?.startsWith("filler ")).length}`));
        if (root) {
          await step("bob's new device knows the thread (threads list fetched at start)",
            () => waitUntil(() => !!r2.getThread(root.event_id), "thread known", 5000));
        }
      }
    } finally {
      bob2.stopClient();
    }
  }

  // --- a permalink opened on a third device whose first sync holds only the last 5 events
  const login3 = root && await step("bob logs in on a third device",
    () => anon.loginRequest({ type: "m.login.password", identifier: { type: "m.id.user", user: bobId }, password: "correct horse battery staple" }));
  if (login3) {
    const bob3 = clientFor(login3, "bob3");
    const prepared3 = waitFor(bob3, ClientEvent.Sync, (st) => st === SyncState.Prepared, STEP_TIMEOUT_MS);
    await bob3.startClient({ initialSyncLimit: 5 });
    try {
      const r3 = (await prepared3) && bob3.getRoom(room);
      const tl = r3 && await step("a permalink to the old thread root: getEventTimeline (GET /context/{event})",
        () => bob3.getEventTimeline(r3.getUnfilteredTimelineSet(), root.event_id),
        (t) => (t && t !== r3.getLiveTimeline() && t.getEvents().some((e) => e.getId() === root.event_id)
          && t.getPaginationToken(Direction.Forward) ? undefined : "not a separate timeline with a forward token"));
      if (tl) {
        // As Element's TimelineWindow does: paginate forwards while there is a token; js-sdk links the
        // context timeline to the live one when the pages reach events the live timeline already holds.
        await step("paginate forwards (GET /messages dir=f) until it links up with the live timeline", async () => {
          for (let i = 0; i < 5 && tl.getPaginationToken(Direction.Forward); i++) {
            if (!(await bob3.paginateEventTimeline(tl, { backwards: false, limit: 10 }))) break;
          }
        }, () => {
          const linked = tl.getNeighbouringTimeline(Direction.Forward) === r3.getLiveTimeline();
          const all = [...tl.getEvents(), ...(linked ? r3.getLiveTimeline().getEvents() : [])];
          const fillers = new Set(all.map((e) => e.getContent().body).filter((b) => b?.startsWith("filler ")));
          return linked && fillers.size === 30 ? undefined : `linked ${linked}, ${fillers.size} distinct fillers`;
        });
      }
    } finally {
      bob3.stopClient();
    }
  }

  // --- jump to an event (Element's permalinks): /context, then paginate forwards; read markers; private receipt
  if (root) {
    const last = bob.getRoom(room)?.getLiveTimeline().getEvents().at(-1);
    if (last) {
      await step("bob marks the room read (POST /read_markers with m.fully_read, m.read and m.read.private)",
        () => bob.setRoomReadMarkers(room, last.getId(), last, last));
      await step("bob's m.fully_read room account data comes back through /sync",
        () => waitUntil(() => bob.getRoom(room)?.getAccountData("m.fully_read")?.getContent().event_id === last.getId(),
          "m.fully_read", 5000));
      await step("marking read clears bob's notification counts (server-side, through /sync)",
        () => waitUntil(() => bob.getRoom(room)?.getUnreadNotificationCount("total") === 0
          && bob.getRoom(room)?.getUnreadNotificationCount("highlight") === 0, "counts 0", 5000));
    }
  }

  // --- media (upload on v3, download on the authenticated v1 path)
  const bytes = Buffer.from(Array.from({ length: 2048 }, (_, i) => i % 256));
  const upload = await step("uploadContent", () => alice.uploadContent(bytes, { name: "blob.bin", type: "application/octet-stream" }),
    (r) => (r.content_uri?.startsWith("mxc://") ? undefined : JSON.stringify(r)));
  if (upload) {
    await step("download through mxcUrlToHttp (authenticated media, Bearer)", async () => {
      const url = bob.mxcUrlToHttp(upload.content_uri, undefined, undefined, undefined, false, true, true);
      const res = await fetch(url, { headers: { Authorization: `Bearer ${bobCreds.access_token}` } });
      if (res.status !== 200) throw new Error(`${res.status} for ${url.replace(BASE, "")}`);
      return Buffer.from(await res.arrayBuffer());
    }, (b) => (b.equals(bytes) ? undefined : `${b.length} bytes differ`));
    await step("thumbnail through mxcUrlToHttp (authenticated media)", async () => {
      const url = bob.mxcUrlToHttp(upload.content_uri, 32, 32, "scale", false, true, true);
      const res = await fetch(url, { headers: { Authorization: `Bearer ${bobCreds.access_token}` } });
      if (res.status !== 200) throw new Error(`${res.status} for ${url.replace(BASE, "")}`);
      return res.status;
    });
    await step("send an m.image with the mxc uri", () => alice.sendMessage(room, {
      msgtype: "m.image", body: "blob.bin", url: upload.content_uri, info: { mimetype: "application/octet-stream", size: bytes.length } }));
  }

  // --- presence
  await step("bob sets presence online", () => bob.setPresence({ presence: "online", status_msg: "here" }));
  await step("alice reads bob's presence", () => alice.getPresence(bobId),
    (r) => (r.presence === "online" && r.status_msg === "here" ? undefined : JSON.stringify(r)));

  // --- search
  await step("server-side search finds a message", () => alice.searchRoomEvents({ term: "filler" }),
    (r) => (r.results?.length > 0 ? undefined : JSON.stringify(r).slice(0, 200)));

  // --- space with a child, hierarchy
  const space = await step("alice creates a space", () => alice.createRoom({ name: "Guild", creation_content: { type: "m.space" }, preset: "public_chat" }));
  if (space) {
    await step("the lobby becomes a child of the space (m.space.child)",
      () => alice.sendStateEvent(space.room_id, "m.space.child", { via: [aliceCreds.user_id.split(":")[1]], suggested: true }, room));
    await step("GET /v1/rooms/{space}/hierarchy lists the space and the lobby", () => bob.getRoomHierarchy(space.room_id, 50),
      (r) => (r.rooms.some((x) => x.room_id === space.room_id && x.room_type === "m.space") && r.rooms.some((x) => x.room_id === room)
        ? undefined : JSON.stringify(r).slice(0, 300)));
  }

  // --- a DM: is_direct invite, m.direct account data
  const dmInvited = waitFor(bob, RoomEvent.MyMembership, (r, membership) => membership === "invite");
  const dm = await step("alice opens a DM with bob (is_direct, trusted_private_chat)",
    () => alice.createRoom({ is_direct: true, invite: [bobId], preset: "trusted_private_chat" }));
  const inv = await live("bob receives the DM invite", dmInvited);
  if (dm && inv) {
    await step("the invite is marked direct (getDMInviter, from is_direct in the stripped state)",
      () => waitUntil(() => bob.getRoom(dm.room_id)?.getDMInviter() === aliceCreds.user_id, "DM inviter", 5000));
    await step("alice records the DM in m.direct", () => alice.setAccountData("m.direct", { [bobId]: [dm.room_id] }));
    await step("bob joins the DM", () => bob.joinRoom(dm.room_id));
  }

  // --- moderation with power levels
  await step("alice gives bob moderator (PL 50)", () => alice.setPowerLevel(room, bobId, 50));
  await step("bob's client sees his power level 50",
    () => waitUntil(() => bob.getRoom(room)?.getMember(bobId)?.powerLevel === 50, "bob PL 50", 5000));
  await step("alice kicks bob", () => alice.kick(room, bobId, "test"));
  await step("bob's client moves the room to left after the kick",
    () => waitUntil(() => bob.getRoom(room)?.getMyMembership() === "leave", "bob kicked", 5000));
  await step("alice bans bob", () => alice.ban(room, bobId, "test"));
  await expectError("banned bob cannot join", () => bob.joinRoom(room), "M_FORBIDDEN");
  await step("alice unbans bob", () => alice.unban(room, bobId));
  await step("bob can join again", () => bob.joinRoom(room));

  // --- upgrade (server-side)
  const upgraded = await step("alice upgrades the lobby to room version 11 (POST /upgrade)", () => alice.upgradeRoom(room, "11"),
    (r) => (r.replacement_room?.startsWith("!") ? undefined : JSON.stringify(r)));
  if (upgraded) {
    await step("bob's client sees the tombstone and the successor",
      () => waitUntil(() => bob.getRoom(room)?.findPredecessor === undefined
        ? false : bob.getRoom(room)?.currentState.getStateEvents("m.room.tombstone", "")?.getContent().replacement_room === upgraded.replacement_room,
      "tombstone", 5000));
    await step("bob joins the successor", () => bob.joinRoom(upgraded.replacement_room));
    await step("the successor names its predecessor",
      () => waitUntil(() => bob.getRoom(upgraded.replacement_room)?.findPredecessor()?.roomId === room, "predecessor", 5000));
  }
}

async function waitUntil(cond, what, timeoutMs = LIVE_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what}: not true within ${timeoutMs} ms`);
}

try {
  await withTimeout(main(), 240000, "whole session");
} catch (e) {
  record("session completed", false, describe(e));
}
out(`js-sdk: ${passes.length} passed, ${failures.length} failed`);
process.exit(Math.min(failures.length, 100));
