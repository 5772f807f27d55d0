"""Open a dispatch (CAD/RMS) export: its encoding, its delimiter, and its rows one at a time.

Exports come from Windows systems as often as not: UTF-8 with or without a byte-order mark,
Windows-1252, or Excel's "Unicode text" (UTF-16 with a mark). Nothing here holds more than
one record (and a sample for the delimiter) in memory, so a file of any size streams.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TextIO

# A physical line longer than this is cut off and its record rejected: free-text narrative
# columns run long, but nothing a survey needs does, and memory stays bounded.
LINE_LIMIT = 65_536
_CHUNK = 1 << 16
_SAMPLE_LINES = 50
_DELIMITERS = ",;\t"
_TRIED = ("utf-8-sig", "cp1252")


class ExportError(ValueError):
    """The export as a whole cannot be read or mapped; nothing of it is imported."""


@dataclass(frozen=True)
class Record:
    """One record of the export: its cells and the physical lines it spans."""

    first_line: int
    last_line: int
    cells: list[str]
    # Why the record cannot be read (cut-off line, broken quoting); None when it can.
    problem: str | None = None


def detect_encoding(path: Path) -> str:
    """Return the encoding the whole file decodes in; raise ExportError if it decodes in none."""
    with path.open("rb") as raw:
        head = raw.read(4)
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ("utf-16",) if utf16 else _TRIED:
        if _decodes(path, encoding):
            return encoding
    tried = "UTF-16" if utf16 else "UTF-8 or Windows-1252"
    raise ExportError(f"not text in {tried} (a spreadsheet? export it as CSV)")


def _decodes(path: Path, encoding: str) -> bool:
    """Say whether the file decodes cleanly, reading it in chunks (never whole)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as raw:
        try:
            while chunk := raw.read(_CHUNK):
                text = decoder.decode(chunk)
                # A NUL never occurs in a text export; it betrays a binary file that decodes.
                if "\x00" in text:
                    return False
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


@contextmanager
def open_export(path: Path) -> Iterator[tuple[TextIO, str]]:
    """Open an export as text in its detected encoding; yield the stream and the encoding."""
    try:
        encoding = detect_encoding(path)
        stream = path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise ExportError(f"cannot read it: {exc.strerror or exc}") from exc
    with stream:
        yield stream, "utf-8" if encoding == "utf-8-sig" else encoding


@dataclass
class _Lines:
    """Physical lines of a stream, each cut at LINE_LIMIT; remembers which were cut."""

    stream: TextIO
    limit: int = LINE_LIMIT
    cut: set[int] = field(default_factory=set)
    count: int = 0

    def __iter__(self) -> Iterator[str]:
        while line := self.stream.readline(self.limit + 1):
            self.count += 1
            if len(line) > self.limit and not line.endswith(("\n", "\r")):
                self.cut.add(self.count)
                self._skip_rest()
                # An empty line keeps the csv reader's line count in step with the file's.
                line = "\n"
            yield line

    def _skip_rest(self) -> None:
        """Read past the rest of an overlong line without keeping it."""
        while (rest := self.stream.readline(self.limit)) and not rest.endswith(("\n", "\r")):
            pass


def sniff_delimiter(sample: str) -> str:
    """Guess the delimiter of a sample of lines: comma, semicolon or tab."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        # One column, or too few lines to be sure: the header line decides, comma by default.
        header = sample.splitlines()[0] if sample else ""
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


class ExportReader:
    """Records of an export, streamed; the delimiter is sniffed from the first lines."""

    def __init__(self, stream: TextIO, limit: int = LINE_LIMIT) -> None:
        self._lines = _Lines(stream, limit)
        lines = iter(self._lines)
        sample = [line for _, line in zip(range(_SAMPLE_LINES), lines, strict=False)]
        self.delimiter = sniff_delimiter("".join(sample))
        # Strict: a stray or unclosed quote is an error to report, not a row silently merged.
        self._reader = csv.reader(chain(sample, lines), delimiter=self.delimiter, strict=True)

    def __iter__(self) -> Iterator[Record]:
        while True:
            first = self._reader.line_num + 1
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield self._unreadable(first, exc)
                continue
            yield self._record(first, cells)

    def _unreadable(self, first: int, exc: csv.Error) -> Record:
        """Describe a record the csv module cannot parse, with the lines it swallowed."""
        last = max(first, self._reader.line_num)
        span = f" (lines {first}-{last}: a quote left open?)" if last > first else ""
        return Record(first, last, [], f"not readable as CSV: {exc}{span}")

    def _record(self, first: int, cells: list[str]) -> Record:
        """Wrap the cells of one record, noting a cut-off line inside it."""
        last = self._reader.line_num
        cut = [n for n in range(first, last + 1) if n in self._lines.cut]
        for number in cut:
            self._lines.cut.discard(number)
        if cut:
            return Record(first, last, [], f"line longer than {self._lines.limit} characters")
        return Record(first, last, cells)
