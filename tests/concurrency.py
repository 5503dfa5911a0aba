"""Two real transactions that truly overlap, for the race tests (transactional_db, live_cast).

``race(first, second, hold=Model)`` runs ``first`` in a thread of its own until it is about to
save its first ``Model`` row: inside its transaction, after it has read and checked the rows it
changes. It is held there while ``second`` runs in another thread, until ``second`` has either
finished or is waiting for a lock in PostgreSQL (``pg_stat_activity``). Then ``first`` goes on.

With the service's row lock, ``second`` waits for ``first`` and then sees what ``first`` did;
without it, ``second`` works on what ``first`` has not written yet and both act on the same
state. Either way the interleaving is the same in every run, so a missing lock fails every run,
not one in ten. The hold is Django's ``pre_save`` signal, in the holding thread only; nothing
of the database is replaced. Each thread closes its own connection.
"""

import threading
import time

from django.db import connection
from django.db.models.signals import pre_save

TIMEOUT = 30


class Worker(threading.Thread):
    """Runs one action with its own database connection and keeps its outcome."""

    def __init__(self, action, name: str):
        super().__init__(name=name, daemon=True)
        self.action = action
        self.pid = None
        self.outcome = None

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.outcome = ("ok", self.action())
        except Exception as error:  # the outcome is what the tests check
            self.outcome = ("error", error)
        finally:
            connection.close()


class Hold:
    """Holds one thread at its first save of ``model`` until released."""

    def __init__(self, model, thread: threading.Thread):
        self.model, self.thread = model, thread
        self.reached = threading.Event()
        self.released = threading.Event()

    def receiver(self, sender, instance, **kwargs):
        if threading.current_thread() is self.thread and not self.reached.is_set():
            self.reached.set()
            self.released.wait(TIMEOUT)

    def __enter__(self):
        pre_save.connect(self.receiver, sender=self.model, weak=False, dispatch_uid=id(self))
        return self

    def __exit__(self, *exc):
        self.released.set()
        pre_save.disconnect(sender=self.model, dispatch_uid=id(self))


def wait_event(pid: int) -> str | None:
    """What the backend ``pid`` waits for now ("Lock" for a row or table lock)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row[0] if row else None


def wait_until_done_or_blocked(worker: Worker) -> str:
    """Wait until the worker has finished ("done") or waits for a lock ("blocked")."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if not worker.is_alive():
            return "done"
        if worker.pid is not None and wait_event(worker.pid) == "Lock":
            return "blocked"
        time.sleep(0.005)
    raise AssertionError(f"{worker.name} neither finished nor waited for a lock")


def race(first, second, *, hold) -> tuple[tuple, tuple]:
    """Run ``first`` up to its first save of a ``hold`` row, then ``second`` until it is done
    or blocked, then the rest of ``first``; return both outcomes, ``("ok", value)`` or
    ``("error", exception)``, first's first."""
    one, two = Worker(first, "first"), Worker(second, "second")
    with Hold(hold, one) as held:
        one.start()
        if not held.reached.wait(TIMEOUT):
            one.join(TIMEOUT)
            raise AssertionError(f"the first action never saved a {hold.__name__}: {one.outcome}")
        two.start()
        wait_until_done_or_blocked(two)
    for worker in (one, two):
        worker.join(TIMEOUT)
        assert not worker.is_alive(), f"{worker.name} is still running"
    return one.outcome, two.outcome


def kinds(*outcomes) -> list:
    """The outcomes as comparable values: "ok", or the class of the error raised."""
    return ["ok" if kind == "ok" else type(value) for kind, value in outcomes]
