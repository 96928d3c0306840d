"""A writer process for the kill test: inserts numbered rows, printing each number after its commit returns."""

import sys
from pathlib import Path

from kiosk.core.clock import SystemClock
from kiosk.storage.db import Database


def main() -> None:
    path, start = Path(sys.argv[1]), int(sys.argv[2])
    db = Database(path, SystemClock())
    db.start()
    n = start
    while True:
        db.call(lambda d, n=n: d["kv_state"].insert({"key": f"row-{n:08d}", "value": "x" * (n % 700)}))
        print(n, flush=True)
        n += 1


if __name__ == "__main__":
    main()
