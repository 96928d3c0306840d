"""What every part of the fleet agent works through: this kiosk's topics, the link, the database, the server's clock
and the agent thread's inbox.

Why one object: the parts (kiosk.fleet.drain, commands, jobs, desired_apply) each need most of these, and all of
them must be the same instances the agent drives.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.fleet import protocol
from kiosk.fleet.link import Link, Post
from kiosk.fleet.server_clock import ServerClock
from kiosk.storage.db import Database


@dataclass(frozen=True, slots=True)
class AgentContext:
    """The agent's shared collaborators; used on the agent thread (`post` from any thread)."""

    topics: protocol.Topics
    link: Link
    db: Database
    server_clock: ServerClock
    post: Post
    """Have the agent thread run `fn(*args)`: how the command and job threads report back."""

    def publish_up(self, kind: str, payload: bytes) -> None:
        """Publish on this kiosk's `up/<kind>` topic (`res`, `job`, `reported`, `birth`, `req`)."""
        self.link.publish(self.topics.up(kind), payload)
