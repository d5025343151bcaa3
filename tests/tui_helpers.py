"""What the app's Pilot tests share."""

from __future__ import annotations

import asyncio

from dlref.tui.app import DlrefApp


async def settle(pilot, app: DlrefApp) -> None:
    """Let the app's workers finish and the screen catch up."""
    for _ in range(100):
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break
        await asyncio.sleep(0.02)
    await pilot.pause()
