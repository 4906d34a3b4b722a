#!/usr/bin/python3
"""A scripted matrix-nio session against a homeserver, as a new user would run it.

Usage: /usr/bin/python3 interop/nio_session.py http://127.0.0.1:8008 [--trace]

Two users register (nio's single POST with m.login.dummy), log in, create a room, invite and join,
chat, follow each other through /sync (sync with since, and sync_forever with callbacks for live
events), edit, react, redact, type, send a read receipt, read and write room state, set a display
name and leave. Every step prints one PASS or FAIL line; the exit code is the number of failures
(capped at 100), so 0 means every step passed. Every wait is bounded.
"""

import asyncio
import json
import re
import sys
import time
import uuid

from nio import (
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    InviteMemberEvent,
    JoinedMembersResponse,
    JoinedRoomsResponse,
    JoinResponse,
    LoginResponse,
    LogoutResponse,
    ProfileGetDisplayNameResponse,
    ProfileSetDisplayNameResponse,
    ReceiptEvent,
    RedactionEvent,
    RegisterResponse,
    RoomCreateResponse,
    RoomGetStateEventResponse,
    RoomGetStateResponse,
    RoomInviteResponse,
    RoomLeaveResponse,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomMessageText,
    RoomPutStateResponse,
    RoomRedactResponse,
    RoomResolveAliasResponse,
    RoomSendResponse,
    RoomTypingResponse,
    SyncResponse,
    TypingNoticeEvent,
    UnknownEvent,
    UpdateReceiptMarkerResponse,
)
from nio import (
    ContentRepositoryConfigResponse,
    DeleteDevicesAuthResponse,
    DeleteDevicesResponse,
    DevicesResponse,
    DownloadResponse,
    PresenceGetResponse,
    PresenceSetResponse,
    ProfileGetResponse,
    ProfileSetAvatarResponse,
    RoomBanResponse,
    RoomContextResponse,
    RoomDeleteAliasResponse,
    RoomForgetResponse,
    RoomGetEventResponse,
    RoomGetVisibilityResponse,
    RoomKickResponse,
    RoomPreset,
    RoomPutAliasResponse,
    RoomReadMarkersResponse,
    RoomUnbanResponse,
    RoomVisibility,
    ThumbnailResponse,
    UpdateDeviceResponse,
    UploadFilterResponse,
    UploadResponse,
)
from nio.responses import RoomUpdateAliasResponse, RoomUpgradeResponse, WhoamiResponse
from nio.client.async_client import AsyncClient as _AsyncClientClass

STEP_TIMEOUT = 20.0  # seconds for any one step
LIVE_TIMEOUT = 10.0  # seconds to wait for an event to arrive through a running sync loop

failures = []
passes = []


def record(name, ok, detail=""):
    if ok:
        passes.append(name)
        print(f"PASS nio: {name}", flush=True)
    else:
        failures.append(name)
        print(f"FAIL nio: {name}: {detail}", flush=True)
    return ok


def describe(resp):
    """A short, token-free description of a nio response for FAIL lines."""
    if isinstance(resp, ErrorResponse):
        return f"{type(resp).__name__} status_code={resp.status_code!r} message={resp.message!r}"
    return f"{type(resp).__name__}: {str(resp)[:300]}"


async def step(name, coro, expected_type, check=None):
    """Awaits coro (bounded), records PASS if the result has expected_type and check(result) holds."""
    try:
        resp = await asyncio.wait_for(coro, STEP_TIMEOUT)
    except asyncio.TimeoutError:
        record(name, False, f"no answer within {STEP_TIMEOUT}s")
        return None
    except Exception as e:  # a client exception is a finding too
        record(name, False, f"{type(e).__name__}: {e}")
        return None
    if not isinstance(resp, expected_type):
        record(name, False, describe(resp))
        return None
    if check is not None:
        try:
            problem = check(resp)
        except Exception as e:
            problem = f"{type(e).__name__}: {e}"
        if problem:
            record(name, False, problem)
            return None
    record(name, True)
    return resp


def install_trace():
    """Prints every request nio sends (tokens redacted) and its status, to stderr."""
    original = _AsyncClientClass.send

    async def traced(self, method, path, data=None, headers=None, trace_context=None, timeout=None):
        shown = re.sub(r"access_token=[^&]*", "access_token=<redacted>", path)
        started = time.monotonic()
        resp = await original(self, method, path, data, headers, trace_context, timeout)
        print(f"  [trace] {method} {shown} -> {resp.status} in {1000 * (time.monotonic() - started):.0f} ms",
              file=sys.stderr, flush=True)
        return resp

    _AsyncClientClass.send = traced


def new_client(base_url, user=""):
    config = AsyncClientConfig(request_timeout=STEP_TIMEOUT, max_timeouts=1, max_limit_exceeded=2)
    return AsyncClient(base_url, user, config=config)


class Live:
    """Runs client.sync_forever in a task and lets the script wait for matching events."""

    def __init__(self, client):
        self.client = client
        self.events = []  # (room_id, event)
        self.ephemeral = []
        self.invites = []
        self.sync_errors = []
        self.changed = asyncio.Condition()
        self.task = None
        self.first_sync = asyncio.Event()

    async def start(self):
        async def on_event(room, event):
            async with self.changed:
                self.events.append((room.room_id, event))
                self.changed.notify_all()

        async def on_ephemeral(room, event):
            async with self.changed:
                self.ephemeral.append((room.room_id, event))
                self.changed.notify_all()

        async def on_invite(room, event):
            async with self.changed:
                self.invites.append((room.room_id, event))
                self.changed.notify_all()

        async def on_sync(resp):
            self.first_sync.set()

        async def on_sync_error(resp):
            self.sync_errors.append(describe(resp))
            self.first_sync.set()

        self.client.add_event_callback(on_event, (RoomMessageText, UnknownEvent, RedactionEvent, RoomMemberEvent))
        self.client.add_ephemeral_callback(on_ephemeral, (TypingNoticeEvent, ReceiptEvent))
        self.client.add_event_callback(on_invite, (InviteMemberEvent,))
        self.client.add_response_callback(on_sync, SyncResponse)
        self.client.add_response_callback(on_sync_error, ErrorResponse)
        self.task = asyncio.ensure_future(self.client.sync_forever(timeout=30000, full_state=True))
        await asyncio.wait_for(self.first_sync.wait(), STEP_TIMEOUT)

    async def wait_for(self, source, predicate, timeout=LIVE_TIMEOUT):
        """Waits until an item of self.<source> matches predicate; returns it or None."""
        deadline = time.monotonic() + timeout
        async with self.changed:
            while True:
                for item in getattr(self, source):
                    if predicate(*item):
                        return item
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                try:
                    await asyncio.wait_for(self.changed.wait(), left)
                except asyncio.TimeoutError:
                    return None

    async def stop(self):
        if self.task:
            self.task.cancel()
            try:
                await asyncio.wait_for(self.task, 5)
            except (asyncio.CancelledError, asyncio.TimeoutError):
                pass


async def live_step(name, live, source, predicate, timeout=LIVE_TIMEOUT):
    item = await live.wait_for(source, predicate, timeout)
    extra = f" (sync errors: {live.sync_errors[-3:]})" if live.sync_errors else ""
    record(name, item is not None, f"not received within {timeout}s{extra}")
    return item


async def sync_until(client, since, predicate, name, timeout=LIVE_TIMEOUT):
    """Calls /sync with since (long-poll) until predicate(response) holds; returns the last token."""
    deadline = time.monotonic() + timeout
    token = since
    while time.monotonic() < deadline:
        left_ms = max(1, int((deadline - time.monotonic()) * 1000))
        try:
            resp = await asyncio.wait_for(client.sync(timeout=min(left_ms, 5000), since=token), STEP_TIMEOUT)
        except asyncio.TimeoutError:
            record(name, False, "sync did not answer in time")
            return token
        if not isinstance(resp, SyncResponse):
            record(name, False, describe(resp))
            return token
        if not resp.next_batch:
            record(name, False, "sync response without next_batch")
            return token
        token = resp.next_batch
        if predicate(resp):
            record(name, True)
            return token
    record(name, False, f"not seen in /sync within {timeout}s (since={since!r})")
    return token


def timeline_events(resp, room_id):
    room = resp.rooms.join.get(room_id)
    return room.timeline.events if room else []


async def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--trace" in sys.argv:
        install_trace()
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    base = args[0].rstrip("/")
    suffix = uuid.uuid4().hex[:8]
    alice_name, bob_name = f"alice_{suffix}", f"bob_{suffix}"
    password = "correct horse battery staple"

    alice = new_client(base)
    bob = new_client(base)
    alice2 = new_client(base, alice_name)
    extra = new_client(base)
    extra2 = new_client(base, alice_name)
    live = Live(bob)
    try:
        # --- accounts
        r = await step("register alice (single POST, m.login.dummy)", alice.register(alice_name, password, "nio-a"),
                       RegisterResponse,
                       lambda r: None if r.user_id.startswith(f"@{alice_name}:") and r.access_token and r.device_id
                       else f"unexpected {r.user_id!r}")
        if r is None:
            return summary()
        r = await step("register bob", bob.register(bob_name, password, "nio-b"), RegisterResponse,
                       lambda r: None if r.user_id.startswith(f"@{bob_name}:") else f"unexpected {r.user_id!r}")
        if r is None:
            return summary()
        await step("register same name again is refused (M_USER_IN_USE)",
                   extra.register(alice_name, password), ErrorResponse,
                   lambda r: None if r.status_code == "M_USER_IN_USE" else f"errcode {r.status_code!r}")
        await step("password login makes a second, distinct device", alice2.login(password, "nio-a2"), LoginResponse,
                   lambda r: None if r.user_id == alice.user_id and r.device_id != alice.device_id
                   else f"user {r.user_id!r} device {r.device_id!r} vs {alice.device_id!r}")
        await step("wrong password is refused (M_FORBIDDEN)", extra2.login("nope"),
                   ErrorResponse, lambda r: None if r.status_code == "M_FORBIDDEN" else f"errcode {r.status_code!r}")
        await step("whoami", alice.whoami(), WhoamiResponse,
                   lambda r: None if r.user_id == alice.user_id else f"user_id {r.user_id!r}")

        # --- room
        alias_local = f"chat_{suffix}"
        created = await step("alice creates a named room with an alias",
                             alice.room_create(name="Interop", topic="nio test", alias=alias_local),
                             RoomCreateResponse, lambda r: None if r.room_id.startswith("!") else r.room_id)
        if created is None:
            return summary()
        room_id = created.room_id
        server_name = alice.user_id.split(":", 1)[1]
        await step("resolve the alias (no token sent)", bob.room_resolve_alias(f"#{alias_local}:{server_name}"),
                   RoomResolveAliasResponse,
                   lambda r: None if r.room_id == room_id and r.servers else f"{r.room_id!r} {r.servers!r}")

        alice_sync = await asyncio.wait_for(alice.sync(timeout=0, full_state=True), STEP_TIMEOUT)
        record("alice initial sync (full_state) shows the room with its name", isinstance(alice_sync, SyncResponse)
               and room_id in alice_sync.rooms.join
               and alice.rooms.get(room_id) is not None and alice.rooms[room_id].name == "Interop",
               describe(alice_sync))
        alice_token = alice_sync.next_batch if isinstance(alice_sync, SyncResponse) else None

        await live.start()
        record("bob sync_forever first sync succeeded", not live.sync_errors, str(live.sync_errors))

        await step("alice invites bob", alice.room_invite(room_id, bob.user_id), RoomInviteResponse)
        await live_step("bob sees the invite live (sync_forever)", live, "invites",
                        lambda rid, ev: rid == room_id and getattr(ev, "membership", None) == "invite"
                        and ev.state_key == bob.user_id)
        await step("bob joins by room id", bob.join(room_id), JoinResponse,
                   lambda r: None if r.room_id == room_id else r.room_id)
        alice_token = await sync_until(alice, alice_token, lambda s: any(
            isinstance(e, RoomMemberEvent) and e.state_key == bob.user_id and e.membership == "join"
            for e in timeline_events(s, room_id)), "alice sees bob's join via /sync with since")

        # --- messages
        sent = await step("alice sends a text message",
                          alice.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": "hello bob"}),
                          RoomSendResponse, lambda r: None if r.event_id.startswith("$") else r.event_id)
        msg_id = sent.event_id if sent else None
        await live_step("bob receives alice's message live (long-poll wakes)", live, "events",
                        lambda rid, ev: rid == room_id and isinstance(ev, RoomMessageText)
                        and ev.event_id == msg_id and ev.body == "hello bob" and ev.sender == alice.user_id)

        # idempotent send: same txn id twice gives the same event id
        txn = f"nio-txn-{suffix}"
        first = await step("send with an explicit txn id",
                           alice.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": "once"}, tx_id=txn),
                           RoomSendResponse)
        await step("the same txn id again returns the same event id",
                   alice.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": "once"}, tx_id=txn),
                   RoomSendResponse,
                   lambda r: None if first and r.event_id == first.event_id else f"{r.event_id} vs {first and first.event_id}")

        bob_reply = await step("bob replies", bob.room_send(room_id, "m.room.message",
                                                           {"msgtype": "m.text", "body": "hi alice"}),
                               RoomSendResponse)
        alice_token = await sync_until(alice, alice_token, lambda s: any(
            isinstance(e, RoomMessageText) and bob_reply and e.event_id == bob_reply.event_id
            for e in timeline_events(s, room_id)), "alice receives bob's reply via /sync with since")

        # --- edit
        edit = await step("alice edits her message (m.replace)", alice.room_send(room_id, "m.room.message", {
            "msgtype": "m.text", "body": "* hello bob (edited)",
            "m.new_content": {"msgtype": "m.text", "body": "hello bob (edited)"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": msg_id}}), RoomSendResponse)
        await live_step("bob receives the edit with m.new_content and the relation", live, "events",
                        lambda rid, ev: rid == room_id and edit is not None and ev.event_id == edit.event_id
                        and ev.source.get("content", {}).get("m.new_content", {}).get("body") == "hello bob (edited)"
                        and ev.source["content"].get("m.relates_to", {}).get("event_id") == msg_id)

        # --- reaction
        react = await step("bob reacts to alice's message (m.reaction)", bob.room_send(room_id, "m.reaction", {
            "m.relates_to": {"rel_type": "m.annotation", "event_id": msg_id, "key": "👍"}}), RoomSendResponse)
        alice_token = await sync_until(alice, alice_token, lambda s: any(
            react and e.event_id == react.event_id and e.source.get("type") == "m.reaction"
            and e.source["content"]["m.relates_to"]["key"] == "👍"
            for e in timeline_events(s, room_id)), "alice receives the reaction via /sync")

        # --- redaction
        redacted = await step("alice redacts bob's reply (as room creator, PL 100)",
                              alice.room_redact(room_id, bob_reply.event_id if bob_reply else "$missing", "tidy"),
                              RoomRedactResponse)
        await live_step("bob receives the redaction with a top-level redacts", live, "events",
                        lambda rid, ev: rid == room_id and isinstance(ev, RedactionEvent) and redacted is not None
                        and ev.event_id == redacted.event_id and bob_reply is not None
                        and ev.redacts == bob_reply.event_id)
        await step("bob cannot redact alice's message (PL 0 < redact 50)",
                   bob.room_redact(room_id, msg_id, "nope"), ErrorResponse,
                   lambda r: None if r.status_code == "M_FORBIDDEN" else f"errcode {r.status_code!r}")

        # --- typing
        await step("bob starts typing", bob.room_typing(room_id, True, 20000), RoomTypingResponse)
        alice_token = await sync_until(alice, alice_token, lambda s: any(
            isinstance(e, TypingNoticeEvent) and bob.user_id in e.users
            for e in (s.rooms.join[room_id].ephemeral if room_id in s.rooms.join else [])),
            "alice sees bob typing (ephemeral m.typing)")
        await step("bob stops typing", bob.room_typing(room_id, False), RoomTypingResponse)
        alice_token = await sync_until(alice, alice_token, lambda s: any(
            isinstance(e, TypingNoticeEvent) and bob.user_id not in e.users
            for e in (s.rooms.join[room_id].ephemeral if room_id in s.rooms.join else [])),
            "alice sees bob stop typing")

        # --- receipt
        await step("bob sends a read receipt for alice's message", bob.update_receipt_marker(room_id, msg_id),
                   UpdateReceiptMarkerResponse)
        alice_token = await sync_until(alice, alice_token, lambda s: any(
            isinstance(e, ReceiptEvent) and any(rc.event_id == msg_id and rc.user_id == bob.user_id
                                                and rc.receipt_type == "m.read" for rc in e.receipts)
            for e in (s.rooms.join[room_id].ephemeral if room_id in s.rooms.join else [])),
            "alice sees bob's m.read receipt")

        # --- state
        await step("alice puts m.room.topic", alice.room_put_state(room_id, "m.room.topic", {"topic": "new topic"}),
                   RoomPutStateResponse, lambda r: None if r.event_id.startswith("$") else r.event_id)
        await step("bob gets m.room.topic", bob.room_get_state_event(room_id, "m.room.topic"),
                   RoomGetStateEventResponse,
                   lambda r: None if r.content.get("topic") == "new topic" else str(r.content))
        await step("bob gets the full room state", bob.room_get_state(room_id), RoomGetStateResponse,
                   lambda r: None if {"m.room.create", "m.room.power_levels", "m.room.member", "m.room.topic"}
                   <= {e["type"] for e in r.events} else str([e["type"] for e in r.events]))
        await step("bob may not change the power levels (M_FORBIDDEN)",
                   bob.room_put_state(room_id, "m.room.power_levels", {"users": {bob.user_id: 100}}), ErrorResponse,
                   lambda r: None if r.status_code == "M_FORBIDDEN" else f"errcode {r.status_code!r}")
        await step("missing state event gives M_NOT_FOUND", bob.room_get_state_event(room_id, "m.room.avatar"),
                   ErrorResponse, lambda r: None if r.status_code == "M_NOT_FOUND" else f"errcode {r.status_code!r}")
        await step("custom state event with a state key", alice.room_put_state(
            room_id, "org.example.widget", {"url": "https://example.org"}, state_key="w1"), RoomPutStateResponse)
        await step("read it back", bob.room_get_state_event(room_id, "org.example.widget", "w1"),
                   RoomGetStateEventResponse,
                   lambda r: None if r.content == {"url": "https://example.org"} else str(r.content))

        # --- history and membership lists
        await step("alice pages back with /messages from her sync token", alice.room_messages(room_id, start=alice_token, limit=50),
                   RoomMessagesResponse,
                   lambda r: None if any(getattr(e, "event_id", None) == msg_id for e in r.chunk) and r.start
                   else f"{len(r.chunk)} events, start={r.start!r}")
        await step("joined_members lists both", bob.joined_members(room_id), JoinedMembersResponse,
                   lambda r: None if {m.user_id for m in r.members} == {alice.user_id, bob.user_id}
                   else str([m.user_id for m in r.members]))
        await step("joined_rooms contains the room", bob.joined_rooms(), JoinedRoomsResponse,
                   lambda r: None if room_id in r.rooms else str(r.rooms))

        # --- profile
        await step("bob sets his display name", bob.set_displayname("Bob Builder"), ProfileSetDisplayNameResponse)
        await step("alice reads bob's display name", alice.get_displayname(bob.user_id),
                   ProfileGetDisplayNameResponse,
                   lambda r: None if r.displayname == "Bob Builder" else repr(r.displayname))
        alice_token = await sync_until(alice, alice_token, lambda s: any(
            isinstance(e, RoomMemberEvent) and e.state_key == bob.user_id and e.membership == "join"
            and e.content.get("displayname") == "Bob Builder" for e in timeline_events(s, room_id)),
            "the new display name reaches the room as a member event")

        # --- leave
        await step("bob leaves", bob.room_leave(room_id), RoomLeaveResponse)
        alice_token = await sync_until(alice, alice_token, lambda s: any(
            isinstance(e, RoomMemberEvent) and e.state_key == bob.user_id and e.membership == "leave"
            for e in timeline_events(s, room_id)), "alice sees bob leave")
        await step("after leaving, bob cannot send (M_FORBIDDEN)",
                   bob.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": "ghost"}), ErrorResponse,
                   lambda r: None if r.status_code == "M_FORBIDDEN" else f"errcode {r.status_code!r}")
        await live.stop()
        record("bob's sync loop saw no errors", not live.sync_errors, str(live.sync_errors[-3:]))

        started = time.monotonic()
        idle = await asyncio.wait_for(alice.sync(timeout=1500), STEP_TIMEOUT)
        elapsed = time.monotonic() - started
        record("an idle long poll (timeout=1500) holds about 1.5 s, then answers",
               isinstance(idle, SyncResponse) and 1.3 <= elapsed <= 6, f"{describe(idle)[:80]} after {elapsed:.2f} s")
        await step("stale since token gets an error, not a hang",
                   alice.sync(timeout=0, since="not-a-real-token"), ErrorResponse)
        old_token = alice2.access_token
        await extended(base, suffix, alice, bob, password)
        await step("alice logs out the second device", alice2.logout(), LogoutResponse)
        alice2.access_token = old_token  # nio forgets it on logout; a stale client would still send it
        await step("the logged-out token is refused (M_UNKNOWN_TOKEN)", alice2.whoami(), ErrorResponse,
                   lambda r: None if r.status_code == "M_UNKNOWN_TOKEN" else f"errcode {r.status_code!r}")
    finally:
        await live.stop()
        for c in (alice, bob, alice2, extra, extra2):
            await c.close()
    return summary()


async def extended(base, suffix, alice, bob, password):
    """Media, presence, aliases, directory, moderation, devices, filters, spaces and room upgrades."""
    server_name = alice.user_id.split(":", 1)[1]

    # --- media
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    up = None
    try:
        up, _ = await asyncio.wait_for(alice.upload(lambda *_: data, content_type="image/png", filename="p.png",
                                                    filesize=len(data)), STEP_TIMEOUT)
    except Exception as e:
        record("upload a file", False, f"{type(e).__name__}: {e}")
    if up is not None:
        record("upload a file", isinstance(up, UploadResponse) and up.content_uri.startswith("mxc://"), describe(up))
    if isinstance(up, UploadResponse):
        await step("download it back (same bytes and type)", bob.download(up.content_uri), DownloadResponse,
                   lambda r: None if r.body == data and r.content_type.startswith("image/png")
                   else f"{len(r.body)} bytes, {r.content_type!r}")
        media_id = up.content_uri.split("/")[-1]
        await step("thumbnail of it", bob.thumbnail(server_name, media_id, 32, 32), ThumbnailResponse)
        await step("bob sets an avatar", bob.set_avatar(up.content_uri), ProfileSetAvatarResponse)
        await step("bob's profile has name and avatar", alice.get_profile(bob.user_id), ProfileGetResponse,
                   lambda r: None if r.avatar_url == up.content_uri and r.displayname == "Bob Builder"
                   else f"{r.displayname!r} {r.avatar_url!r}")
    await step("media config has an upload size", alice.content_repository_config(), ContentRepositoryConfigResponse,
               lambda r: None if isinstance(r.upload_size, int) and r.upload_size > 0 else repr(r.upload_size))

    # --- presence
    await step("bob sets presence online with a status", bob.set_presence("online", "at work"), PresenceSetResponse)
    await step("alice reads bob's presence", alice.get_presence(bob.user_id), PresenceGetResponse,
               lambda r: None if r.presence == "online" and r.status_msg == "at work" else f"{r.presence} {r.status_msg}")

    # --- a public room, found through the directory and joined by alias
    alias_local = f"pub_{suffix}"
    pub = await step("alice creates a public room in the directory",
                     alice.room_create(visibility=RoomVisibility.public, preset=RoomPreset.public_chat,
                                       alias=alias_local, name="Public"), RoomCreateResponse)
    if pub is None:
        return
    room = pub.room_id
    await step("room is listed as public", bob.room_get_visibility(room), RoomGetVisibilityResponse,
               lambda r: None if r.visibility == "public" else r.visibility)
    await step("bob joins by alias", bob.join(f"#{alias_local}:{server_name}"), JoinResponse,
               lambda r: None if r.room_id == room else r.room_id)
    await step("alice adds a second alias", alice.room_put_alias(f"#{alias_local}_2:{server_name}", room),
               RoomPutAliasResponse)
    await step("the second alias resolves", bob.room_resolve_alias(f"#{alias_local}_2:{server_name}"),
               RoomResolveAliasResponse, lambda r: None if r.room_id == room else r.room_id)
    await step("canonical alias and alt_aliases (room_update_aliases)",
               alice.room_update_aliases(room, canonical_alias=f"#{alias_local}:{server_name}",
                                         alt_aliases=[f"#{alias_local}_2:{server_name}"]), RoomUpdateAliasResponse)
    await step("alice deletes the second alias", alice.room_delete_alias(f"#{alias_local}_2:{server_name}"),
               RoomDeleteAliasResponse)
    await step("deleted alias no longer resolves", bob.room_resolve_alias(f"#{alias_local}_2:{server_name}"),
               ErrorResponse, lambda r: None if r.status_code == "M_NOT_FOUND" else r.status_code)

    # --- single event, context, read markers
    m1 = await step("alice sends m1", alice.room_send(room, "m.room.message", {"msgtype": "m.text", "body": "m1"}),
                    RoomSendResponse)
    m2 = await step("alice sends m2", alice.room_send(room, "m.room.message", {"msgtype": "m.text", "body": "m2"}),
                    RoomSendResponse)
    if m1 and m2:
        await step("bob fetches m1 by id", bob.room_get_event(room, m1.event_id), RoomGetEventResponse,
                   lambda r: None if getattr(r.event, "body", None) == "m1" else describe(r))
        await step("context around m1 includes m2 after it", bob.room_context(room, m1.event_id, limit=5),
                   RoomContextResponse,
                   lambda r: None if any(e.event_id == m2.event_id for e in r.events_after)
                   else f"after={[e.event_id for e in r.events_after]}")
        await step("bob sets read markers (fully_read + read)", bob.room_read_markers(room, m2.event_id, m2.event_id),
                   RoomReadMarkersResponse)
    await step("/messages with an empty from (as nio's room_upgrade sends it)",
               bob.room_messages(room, start="", limit=1), RoomMessagesResponse,
               lambda r: None if len(r.chunk) == 1 else f"{len(r.chunk)} events")

    # --- a stored filter applied to sync
    flt = await step("upload a filter (timeline limit 1)", bob.upload_filter(room={"timeline": {"limit": 1}}),
                     UploadFilterResponse)
    if flt:
        fresh = new_client(base)
        fresh.restore_login(bob.user_id, bob.device_id, bob.access_token)
        try:
            resp = await asyncio.wait_for(fresh.sync(timeout=0, sync_filter=flt.filter_id, full_state=True),
                                          STEP_TIMEOUT)
        finally:
            await fresh.close()
        record("sync with the filter id gives a limited timeline of 1",
               isinstance(resp, SyncResponse) and room in resp.rooms.join
               and len(resp.rooms.join[room].timeline.events) == 1 and resp.rooms.join[room].timeline.limited,
               describe(resp) if not isinstance(resp, SyncResponse) else
               f"{len(resp.rooms.join[room].timeline.events) if room in resp.rooms.join else 'no room'} events")
        fresh = new_client(base)  # nio sends since=<its last token> whenever it has one: start clean
        fresh.restore_login(bob.user_id, bob.device_id, bob.access_token)
        try:
            resp = await asyncio.wait_for(fresh.sync(timeout=0, sync_filter={"room": {"timeline": {"limit": 2}}},
                                                     full_state=True), STEP_TIMEOUT)
        finally:
            await fresh.close()
        record("sync with an inline JSON filter is honoured",
               isinstance(resp, SyncResponse) and room in resp.rooms.join
               and len(resp.rooms.join[room].timeline.events) == 2, describe(resp))

    # --- a gappy incremental sync: more events than the timeline limit, the gap filled with /messages
    gap_client = new_client(base)
    gap_client.restore_login(bob.user_id, bob.device_id, bob.access_token)
    try:
        first = await asyncio.wait_for(gap_client.sync(timeout=0, sync_filter={"room": {"timeline": {"limit": 10}}}),
                                       STEP_TIMEOUT)
        if record("gap: a first sync for the token", isinstance(first, SyncResponse), describe(first)):
            bodies = [f"gap {i}" for i in range(25)]
            for b in bodies:
                r = await asyncio.wait_for(alice.room_send(room, "m.room.message", {"msgtype": "m.text", "body": b}),
                                           STEP_TIMEOUT)
                if not isinstance(r, RoomSendResponse):
                    record("gap: alice sends 25 messages", False, describe(r))
                    break
            resp = await asyncio.wait_for(gap_client.sync(timeout=0, since=first.next_batch,
                                                          sync_filter={"room": {"timeline": {"limit": 10}}}),
                                          STEP_TIMEOUT)
            tl = resp.rooms.join[room].timeline if isinstance(resp, SyncResponse) and room in resp.rooms.join else None
            got = [e.body for e in tl.events if isinstance(e, RoomMessageText)] if tl else []
            record("gap: the incremental sync is limited to the last 10, with prev_batch",
                   tl is not None and tl.limited and tl.prev_batch and got == bodies[-10:],
                   f"limited={tl and tl.limited} prev_batch={tl and tl.prev_batch!r} got={got}")
            if tl is not None and tl.prev_batch:
                older = await asyncio.wait_for(gap_client.room_messages(room, start=tl.prev_batch, limit=15),
                                               STEP_TIMEOUT)
                back = [e.body for e in older.chunk if isinstance(e, RoomMessageText)] \
                    if isinstance(older, RoomMessagesResponse) else []
                record("gap: /messages from prev_batch returns exactly the 15 missing, newest first",
                       back == list(reversed(bodies[:15])), describe(older) if not back else f"got={back}")
    finally:
        await gap_client.close()

    # --- moderation
    await step("alice kicks bob", alice.room_kick(room, bob.user_id, "be nice"), RoomKickResponse)
    await step("bob rejoins the public room", bob.join(room), JoinResponse)
    await step("alice bans bob", alice.room_ban(room, bob.user_id, "spam"), RoomBanResponse)
    await step("banned bob cannot join (M_FORBIDDEN)", bob.join(room), ErrorResponse,
               lambda r: None if r.status_code == "M_FORBIDDEN" else r.status_code)
    await step("alice unbans bob", alice.room_unban(room, bob.user_id), RoomUnbanResponse)
    await step("bob joins again", bob.join(room), JoinResponse)
    await step("bob leaves", bob.room_leave(room), RoomLeaveResponse)
    await step("bob forgets the room", bob.room_forget(room), RoomForgetResponse)

    # --- devices
    devs = await step("alice lists her devices (two)", alice.devices(), DevicesResponse,
                      lambda r: None if len(r.devices) >= 2 and alice.device_id in [d.id for d in r.devices]
                      else str([d.id for d in r.devices]))
    await step("alice renames this device", alice.update_device(alice.device_id, {"display_name": "laptop"}),
               UpdateDeviceResponse)
    spare = new_client(base, alice.user_id)
    try:
        lr = await step("a third login for alice", spare.login(password, "spare"), LoginResponse)
        if lr:
            first = await step("deleting it without auth asks for UIA (401 flows)",
                               alice.delete_devices([lr.device_id]), DeleteDevicesAuthResponse,
                               lambda r: None if r.session and any("m.login.password" in f.get("stages", [])
                                                                   for f in r.flows) else f"{r.flows} {r.session}")
            if first:
                await step("deleting it with the password succeeds", alice.delete_devices([lr.device_id], auth={
                    "type": "m.login.password", "identifier": {"type": "m.id.user", "user": alice.user_id},
                    "password": password, "session": first.session}), DeleteDevicesResponse)
                await step("the deleted device's token is refused", spare.whoami(), ErrorResponse,
                           lambda r: None if r.status_code == "M_UNKNOWN_TOKEN" else r.status_code)
    finally:
        await spare.close()

    # --- a space
    space = await step("alice creates a space", alice.room_create(name="Space", space=True), RoomCreateResponse)
    if space:
        await step("its create event has type m.space", alice.room_get_state_event(space.room_id, "m.room.create"),
                   RoomGetStateEventResponse,
                   lambda r: None if r.content.get("type") == "m.space" else str(r.content))

    # --- room upgrade, nio's way (createRoom with predecessor + tombstone + alias move)
    up_resp = await step("alice upgrades the public room to version 11 (nio room_upgrade)",
                         alice.room_upgrade(room, "11"), RoomUpgradeResponse)
    if up_resp:
        await step("the old room has a tombstone pointing at the new one",
                   alice.room_get_state_event(room, "m.room.tombstone"), RoomGetStateEventResponse,
                   lambda r: None if r.content.get("replacement_room") == up_resp.room_id else str(r.content))
        await step("the new room is version 11 with the predecessor",
                   alice.room_get_state_event(up_resp.room_id, "m.room.create"), RoomGetStateEventResponse,
                   lambda r: None if r.content.get("room_version") == "11"
                   and r.content.get("predecessor", {}).get("room_id") == room else str(r.content))
        await step("the alias now resolves to the new room", bob.room_resolve_alias(f"#{alias_local}:{server_name}"),
                   RoomResolveAliasResponse, lambda r: None if r.room_id == up_resp.room_id else r.room_id)


def summary():
    print(f"nio: {len(passes)} passed, {len(failures)} failed", flush=True)
    return min(len(failures), 100)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
