"""The Word report's charts drawn by a forked process, on the machine's other core.

A one-off ``riverdrill report RUN --format docx`` spends about a third of its time on
matplotlib: importing it (≈ 0.3 s) and drawing three charts (≈ 0.4 s). Neither needs the
report, and the report does not need matplotlib, so :class:`ChartWorker` forks a process as
the command starts: it imports matplotlib and finds the CJK font while the parent reads the run
and builds the report, then draws the charts as soon as the parent knows their data
(``reports.build.ChartsReady``), while the parent builds the rest of the report and the text
of the Word document around them.

The images are the ones the parent would draw itself (same code, same data); when the worker
is unavailable (no ``fork``, a failure in the worker) the parent draws them as before.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from multiprocessing.connection import Connection
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reports.charts import Mark
    from reports.docx import ChartSource
    from reports.viewmodel import ChartData


def fork_available() -> bool:
    """Whether a worker can be forked: a spawned one would re-import everything itself."""
    return "fork" in multiprocessing.get_all_start_methods()


class ChartWorker:
    """A forked process that draws the Word charts; use as a context manager.

    Start it early (before the heavy imports: the child inherits only what is loaded then,
    and its own import of matplotlib runs beside the parent's work).

    Args:
        lang: The report's language (the worker reads its messages while it waits).
    """

    def __init__(self, lang: str) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, self._conn, lang), name="riverdrill-charts", daemon=True
        )
        self._process.start()
        child.close()
        self._lang = lang
        self._status: tuple[str, str | None] | None = None
        self._pngs: dict[str, bytes | None] = {}
        self._failed = False
        self._sender: threading.Thread | None = None
        self._data: ChartData | None = None
        self._marks: tuple[Mark, ...] = ()

    def __enter__(self) -> ChartWorker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker and reap it.

        Nothing is read from it after this, so it is stopped whatever it is doing: one that
        has sent every chart is exiting anyway, one still busy (the report failed first) is
        not waited for — which also ends a request write blocked on it, so the pipe is not
        closed under that thread.
        """
        self._process.terminate()
        if self._sender is not None:
            self._sender.join()
        self._conn.close()
        self._process.join()

    def _receive(self) -> tuple[str, Any] | None:
        try:
            message = self._conn.recv()
        except (EOFError, OSError):  # the worker died: draw in the parent instead
            self._failed = True
            return None
        if not (isinstance(message, tuple) and len(message) == 2):
            self._failed = True
            return None
        return message

    def font_problem(self) -> str | None:
        """Why the charts cannot be drawn (no Chinese font), or None. Waits for the worker to
        have loaded matplotlib; a worker that failed otherwise is not a font problem (the
        parent then draws the charts itself, and meets any problem there)."""
        if self._status is None:
            message = self._receive()
            self._status = message if message is not None else ("failed", None)
        kind, detail = self._status
        if kind == "font":
            return str(detail)
        if kind != "ready":
            self._failed = True
        return None

    def draw(self, data: ChartData, marks: tuple[Mark, ...]) -> None:
        """Ask for the charts of this data (``reports.build.ChartsReady``); returns at once.

        The request (a few hundred kB pickled, more than a pipe holds) is written by a
        thread: the worker reads it only once it has loaded matplotlib, and this process has
        the rest of the report to build meanwhile."""
        if self._sender is not None:
            raise RuntimeError("the charts were asked for already")
        self._data, self._marks = data, marks

        def send() -> None:
            try:
                self._conn.send((data, marks, self._lang))
            except (OSError, ValueError):  # the worker is gone: draw in the parent
                self._failed = True

        self._sender = threading.Thread(target=send, name="riverdrill-charts-send", daemon=True)
        self._sender.start()

    def charts(self) -> ChartSource | None:
        """The chart source for ``reports.docx.write_docx``: each name waits only for its own
        image, drawn in document order. None when the worker cannot help (not asked, no
        font, failed): the document then draws its charts itself."""
        if self._sender is None or self.font_problem() is not None:
            return None
        self._sender.join()
        if self._failed:
            return None
        data, marks, lang = self._data, self._marks, self._lang

        def chart(name: str) -> bytes | None:
            while name not in self._pngs and not self._failed:
                message = self._receive()
                if message is None:
                    break
                kind, payload = message
                if kind != "png":
                    self._failed = True
                    break
                drawn, png = payload
                self._pngs[drawn] = png
            if name in self._pngs:
                return self._pngs[name]
            # The worker failed part-way: draw this one here (same code, same image).
            from reports.raster import chart_png

            assert data is not None
            return chart_png(name, data, marks, lang)

        return chart


def _serve(conn: Connection, parent_end: Connection, lang: str) -> None:
    """The worker: load matplotlib, say whether the font is there, draw what is asked."""
    parent_end.close()
    try:
        from reports.raster import CHARTS, FontMissing, chart_png, cjk_font

        try:
            cjk_font()
        except FontMissing as missing:
            conn.send(("font", str(missing)))
            return
        # The first chart pays for matplotlib's font cache and renderer set-up: do that now,
        # while the parent is still busy.
        from reports.raster import warm_up

        warm_up(lang)
        conn.send(("ready", None))
        data, marks, lang = conn.recv()
        for name in CHARTS:
            conn.send(("png", (name, chart_png(name, data, marks, lang))))
    except (EOFError, OSError, KeyboardInterrupt):
        pass  # the parent went away or was interrupted: nothing to draw for
    except Exception as error:  # a bug: the parent draws the charts and reports it
        with contextlib.suppress(OSError, ValueError):
            conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()
        # Skip the interpreter's exit handlers: they belong to the parent's state (the child
        # is a fork) and must not run twice, e.g. flush the parent's buffered output again.
        os._exit(0)


__all__ = ["ChartWorker", "fork_available"]
