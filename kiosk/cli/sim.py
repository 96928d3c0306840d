"""`kiosk sim NAME`: run a device simulator on a pty, for development and demos.

Simulators live in `firmware_bridge.sim`; each module that defines `SIM_NAME`, `add_arguments(parser)` and
`run(args) -> int` becomes one `kiosk sim NAME` subcommand.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil


def _simulator_modules():
    package = importlib.import_module("firmware_bridge.sim")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"firmware_bridge.sim.{info.name}")
        if hasattr(module, "SIM_NAME"):
            yield module


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk sim` with one subcommand per simulator module."""
    modules = list(_simulator_modules())
    if not modules:
        return
    parser = subparsers.add_parser("sim", help="run a device simulator on a pty (printer, ID reader)")
    sims = parser.add_subparsers(dest="simulator", metavar="DEVICE", required=True)
    for module in modules:
        sim_parser = sims.add_parser(module.SIM_NAME, help=(module.__doc__ or "").strip().splitlines()[0])
        module.add_arguments(sim_parser)
        sim_parser.set_defaults(handler=module.run)
