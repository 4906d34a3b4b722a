"""A real matrix-nio session against the standalone FakeHomeserver (manual interop check)."""
import asyncio, sys
from nio import RoomPreset, AsyncClient, RegisterResponse, LoginResponse, RoomCreateResponse, RoomSendResponse, \
    SyncResponse, JoinResponse, RoomMessagesResponse, RoomResolveAliasResponse, RoomRedactResponse, \
    RoomInviteResponse, RoomKickResponse, RoomTypingResponse, ProfileSetDisplayNameResponse, \
    UpdateReceiptMarkerResponse, RoomReadMarkersResponse, PresenceSetResponse, LogoutResponse, RoomLeaveResponse

async def main(url):
    ok = []
    def check(name, resp, cls):
        good = isinstance(resp, cls)
        ok.append(good)
        print(("OK  " if good else "BAD ") + name + ("" if good else ": " + repr(resp)))
        return resp
    alice = AsyncClient(url, "alice")
    check("register alice", await alice.register("alice", "pw-alice-123"), RegisterResponse)
    bob = AsyncClient(url, "bob")
    check("register bob", await bob.register("bob", "pw-bob-123"), RegisterResponse)
    bob2 = AsyncClient(url, "bob")
    check("login bob", await bob2.login("pw-bob-123"), LoginResponse)
    check("first sync alice", await alice.sync(timeout=None, full_state=True), SyncResponse)
    room = check("create room", await alice.room_create(alias="lobby", name="Lobby", preset=RoomPreset.public_chat), RoomCreateResponse)
    check("resolve alias", await bob.room_resolve_alias("#lobby:localhost"), RoomResolveAliasResponse)
    check("bob joins by alias", await bob.join("#lobby:localhost"), JoinResponse)
    sent = check("alice sends", await alice.room_send(room.room_id, "m.room.message",
                 {"msgtype": "m.text", "body": "hello nio"}), RoomSendResponse)
    sync = check("bob syncs", await bob.sync(timeout=3000), SyncResponse)
    bodies = [e.body for r in sync.rooms.join.values() for e in r.timeline.events if hasattr(e, "body")]
    ok.append("hello nio" in bodies); print(("OK  " if "hello nio" in bodies else "BAD ") + "bob saw the message " + str(bodies))
    # long poll wakes on a new message
    poll = asyncio.ensure_future(bob.sync(timeout=30000, since=bob.next_batch))
    await asyncio.sleep(0.5)
    await alice.room_send(room.room_id, "m.room.message", {"msgtype": "m.text", "body": "wake"})
    woke = check("long poll woke", await asyncio.wait_for(poll, 10), SyncResponse)
    check("typing", await bob.room_typing(room.room_id, True, 10000), RoomTypingResponse)
    check("read receipt", await bob.update_receipt_marker(room.room_id, sent.event_id), UpdateReceiptMarkerResponse)
    check("read markers", await bob.room_read_markers(room.room_id, sent.event_id, sent.event_id), RoomReadMarkersResponse)
    check("display name", await bob.set_displayname("Bob"), ProfileSetDisplayNameResponse)
    check("presence", await bob.set_presence("online", "here"), PresenceSetResponse)
    msgs = check("messages", await alice.room_messages(room.room_id, start="", limit=10), RoomMessagesResponse)
    check("redact", await alice.room_redact(room.room_id, sent.event_id, "oops"), RoomRedactResponse)
    carol = AsyncClient(url, "carol")
    await carol.register("carol", "pw-carol-123")
    check("invite", await alice.room_invite(room.room_id, "@carol:localhost"), RoomInviteResponse)
    check("kick", await alice.room_kick(room.room_id, "@carol:localhost"), RoomKickResponse)
    check("leave", await bob.room_leave(room.room_id), RoomLeaveResponse)
    check("logout", await bob.logout(), LogoutResponse)
    for c in (alice, bob, bob2, carol):
        await c.close()
    print("ALL OK" if all(ok) else "SOME FAILED")
    return 0 if all(ok) else 1

sys.exit(asyncio.run(main(sys.argv[1])))
