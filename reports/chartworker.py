"""The Word report's charts drawn by a forked process, on the machine's other core.

A one-off ``riverdrill report RUN --format docx`` spends about a third of its time on
matplotlib: importing it (≈ 0.3 s) and drawing three charts (≈ 0.4 s). Neither needs the
report, and the report does not need matplotlib, so :class:`ChartWorker` forks a process as
the command starts: it imports matplotlib and finds the CJK font while the parent reads the run
and builds the report, then draws each chart from the report's chart data as the parent's
Word document reaches it, while the parent writes the text around them.

The images are the ones the parent would draw itself (same code, same data); when the worker
is unavailable (no ``fork``, a failure in the worker) the parent draws them as before.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from multiprocessing.connection import Connection
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reports.viewmodel import Report


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
        self._status: tuple[str, str | None] | None = None
        self._pngs: dict[str, bytes | None] = {}
        self._failed = False

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
        """Stop the worker (it exits when its pipe closes) and reap it."""
        self._conn.close()
        self._process.join(timeout=1.0)
        if self._process.is_alive():
            self._process.terminate()
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

    def charts(self, report: Report) -> Any:
        """A chart source for ``reports.docx.write_docx``: asks the worker for every chart
        of ``report`` at once; each name then waits only for its own image. None when the
        worker cannot help (the document then draws its charts itself)."""
        if self.font_problem() is not None or self._failed or report.chart_data is None:
            return None
        try:
            self._conn.send((report.chart_data, report.marks, report.lang))
        except (OSError, ValueError):
            self._failed = True
            return None

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

            assert report.chart_data is not None
            return chart_png(name, report.chart_data, report.marks, report.lang)

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
