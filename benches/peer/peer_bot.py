"""A peer bot doing Ponder's job with discord.py 2.7, for the e2e benchmark.

It posts a prompt on a schedule in the configured channels, opens a thread for
each post and stores the replies in SQLite. Kept short and plain on purpose:
what a small discord.py bot written for the job would do, with discord.py's
default caches. `python peer_bot.py CONFIG.json`, the token in DISCORD_TOKEN.

CONFIG: {"api_base": "http://127.0.0.1:P", "db": "peer.db", "prompts_dir": "...",
         "channels": [{"id": "123", "every": 86400 or null}]}
A channel's slots are the Unix seconds divisible by `every` (as Ponder's
`every Ns`); null: no slot in the bench's life.

It prints lines on stdout for the bench: `ready GUILDS CHECKED` once every
GUILD_CREATE is in and each configured channel was checked, `posted CHANNEL
DUE` after each slot's thread, `stored N` after each commit of replies.
"""

import asyncio
import heapq
import json
import os
import sqlite3
import sys
import time
import tomllib
from pathlib import Path

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

SCHEMA = """
CREATE TABLE IF NOT EXISTS channels (id TEXT PRIMARY KEY, can_post INTEGER, checked_at REAL);
CREATE TABLE IF NOT EXISTS posts (channel_id TEXT, due INTEGER, message_id TEXT, thread_id TEXT,
                                  PRIMARY KEY (channel_id, due));
CREATE TABLE IF NOT EXISTS replies (id TEXT PRIMARY KEY, thread_id TEXT, author_id TEXT,
                                    content TEXT, created_at TEXT);
"""


def say(*words):
    print(*words, flush=True)


def load_prompts(folder):
    prompts = []
    for path in sorted(Path(folder).glob("*.toml")):
        prompts += tomllib.loads(path.read_text())["prompt"]
    return prompts


class Peer(discord.AutoShardedClient):
    # Sharded as discord.py's docs ask of a bot in more than 2,500 guilds: the
    # shard count from GET /gateway/bot, one identify per 5 s (max_concurrency 1).
    def __init__(self, config):
        intents = discord.Intents.none()
        intents.guilds = intents.guild_messages = intents.message_content = True
        super().__init__(intents=intents)
        self.config = config
        self.channels = {int(c["id"]): c.get("every") for c in config["channels"]}
        self.prompts = load_prompts(config["prompts_dir"])
        self.db = sqlite3.connect(config["db"])
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self.threads = set()
        self.pending = []  # replies waiting for the next commit
        self.stored = 0
        self.checked = 0
        self.announced = False
        self.fires = asyncio.Queue()

    async def setup_hook(self):
        # AutoShardedClient takes the gateway address from GET /gateway/bot; a
        # reconnect without it would fall back to discord.py's built-in one.
        _, url, _ = await self.http.get_bot_gateway()
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        self.loop.create_task(self.schedule())
        self.loop.create_task(self.commit_replies())
        for _ in range(4):  # a few slots in flight; discord.py waits out each 429
            self.loop.create_task(self.poster())

    async def on_guild_available(self, guild):
        # The start-up check: can the bot post and open threads in its configured channels?
        rows = []
        for channel in guild.text_channels:
            if channel.id in self.channels:
                perms = channel.permissions_for(guild.me) if guild.me else None
                ok = bool(perms and perms.send_messages and perms.create_public_threads)
                rows.append((str(channel.id), int(ok), time.time()))
        if rows:
            self.db.executemany("INSERT OR REPLACE INTO channels VALUES (?, ?, ?)", rows)
            self.checked += len(rows)  # committed by the 0.2 s loop below
        self.announce()

    on_guild_join = on_guild_available  # a GUILD_CREATE without `unavailable: false`

    async def on_ready(self):
        self.announce()

    def announce(self):
        if not self.announced and self.is_ready():
            self.announced = True
            self.db.commit()
            say("ready", len(self.guilds), self.checked)

    async def schedule(self):
        """One loop for every channel: a heap of (next slot, channel)."""
        now = int(time.time())
        heap = [((now // every + 1) * every, cid, every) for cid, every in self.channels.items() if every]
        heapq.heapify(heap)
        while True:
            now = time.time()
            while heap and heap[0][0] <= now:
                due, cid, every = heapq.heappop(heap)
                self.fires.put_nowait((cid, due))
                heapq.heappush(heap, (due + every, cid, every))
            await asyncio.sleep(max(0.0, min(1.0, heap[0][0] - now)) if heap else 1.0)

    async def poster(self):
        await self.wait_until_ready()
        while True:
            cid, due = await self.fires.get()
            try:
                await self.fire(cid, due)
            except Exception as e:  # noqa: BLE001: one slot's failure must not stop the others
                print(f"slot {cid} {due} failed: {e!r}", file=sys.stderr, flush=True)

    async def fire(self, cid, due):
        claimed = self.db.execute("INSERT OR IGNORE INTO posts (channel_id, due) VALUES (?, ?)", (str(cid), due))
        self.db.commit()
        if claimed.rowcount == 0:
            return  # this slot was posted already
        prompt = self.prompts[(due // 60 + cid) % len(self.prompts)]
        channel = self.get_channel(cid) or await self.fetch_channel(cid)
        message = await channel.send(f"**{prompt['title']}**\n\n{prompt['text']}")
        self.db.execute("UPDATE posts SET message_id = ? WHERE channel_id = ? AND due = ?", (str(message.id), str(cid), due))
        self.db.commit()
        thread = await message.create_thread(name=prompt["title"][:100])
        self.threads.add(thread.id)
        self.db.execute("UPDATE posts SET thread_id = ? WHERE channel_id = ? AND due = ?", (str(thread.id), str(cid), due))
        self.db.commit()
        say("posted", cid, due)

    async def on_message(self, message):
        if message.channel.id in self.threads and message.author.id != self.user.id:
            self.pending.append((str(message.id), str(message.channel.id), str(message.author.id),
                                 message.content, message.created_at.isoformat()))

    async def commit_replies(self):
        while True:
            await asyncio.sleep(0.2)
            if self.pending:
                batch, self.pending = self.pending, []
                self.db.executemany("INSERT OR IGNORE INTO replies VALUES (?, ?, ?, ?, ?)", batch)
                self.db.commit()
                self.stored += len(batch)
                say("stored", self.stored)
            elif self.db.in_transaction:
                self.db.commit()


def main():
    config = json.loads(Path(sys.argv[1]).read_text())
    # Point discord.py's REST client at the server (the emulator in the bench).
    Route.BASE = config["api_base"].rstrip("/") + "/api/v10"
    Peer(config).run(os.environ["DISCORD_TOKEN"], log_handler=None)


if __name__ == "__main__":
    main()
