"""Releases side by side under /opt/kiosk: unpack beside the running one, switch atomically, keep or roll back.

Why: a terminal in a village takes new software without a visit and must come back by itself when a release does
not start. Standard library only (plus kiosk.core.errors), so `python3 -m kiosk.release` runs straight from a wheel
before any virtual environment exists, and the guard that decides on a rollback never depends on the release it
judges.
"""
