"""Which text encoding a CSV export is in, decided before anything is parsed.

Exports come as UTF-8 (with or without BOM) or, from older systems, Windows-1252.
Two cases must be refused by name rather than misread:

* UTF-16 ("Unicode text" in Excel): every other byte is NUL, which used to
  surface as a confusing delimiter problem;
* a file in UTF-8 with some lines in Windows-1252 (two exports pasted together):
  decoding the whole file as Windows-1252 turns every "ä" elsewhere into "Ã¤"
  silently. The lines that are not UTF-8 are named.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hallbar.core.errors import ProblemList

UTF8 = "utf-8"
WINDOWS_1252 = "cp1252"
LATIN_1 = "latin-1"
_BOM_UTF8 = b"\xef\xbb\xbf"
_BOMS_UTF16_32 = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
# A well-formed UTF-8 multi-byte sequence. Windows-1252 text with Swedish letters
# practically never contains one (it would need e.g. "Ã" followed by "¤").
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_SAMPLE = 4096
_BLOCK = 16 << 20  # a file is checked in blocks of about 16 MiB, whatever its size
MAX_LINES_NAMED = 20


@dataclass(frozen=True)
class Encoding:
    name: str  # codec name for bytes.decode
    bom: int  # bytes of byte-order mark to skip


def detect_encoding(data: bytes, file: str, problems: ProblemList) -> Encoding | None:
    """The encoding of ``data``; None (and an error naming it) when it must be refused."""
    for bom, name in _BOMS_UTF16_32:
        if data.startswith(bom):
            _refuse_wide(file, name, problems)
            return None
    if _looks_utf16(data[:_SAMPLE]):
        _refuse_wide(file, "UTF-16", problems)
        return None
    skip = len(_BOM_UTF8) if data.startswith(_BOM_UTF8) else 0
    try:
        # A strict decode is the only full proof of UTF-8; it runs at memory speed.
        data[skip:].decode(UTF8)
    except UnicodeDecodeError:
        pass
    else:
        return Encoding(UTF8, skip)
    if skip or _UTF8_MULTIBYTE.search(data):
        _refuse_mixed(data, file, problems)
        return None
    try:
        data.decode(WINDOWS_1252)
    except UnicodeDecodeError:
        return Encoding(LATIN_1, 0)  # Windows-1252 leaves five bytes undefined
    return Encoding(WINDOWS_1252, 0)


def detect_file_encoding(
    path: Path, file: str, problems: ProblemList, block_bytes: int = _BLOCK
) -> Encoding | None:
    """``detect_encoding`` for a file read block by block: the same decision and messages,
    with memory bounded by the block size rather than the file's size."""
    with path.open("rb") as handle:
        head = handle.read(_SAMPLE)
    for bom, name in _BOMS_UTF16_32:
        if head.startswith(bom):
            _refuse_wide(file, name, problems)
            return None
    if _looks_utf16(head):
        _refuse_wide(file, "UTF-16", problems)
        return None
    skip = len(_BOM_UTF8) if head.startswith(_BOM_UTF8) else 0
    utf8 = True
    multibyte = False
    windows_1252 = True
    for number, block in enumerate(line_blocks(path, block_bytes)):
        body = block[skip:] if number == 0 else block
        if utf8:
            try:
                # Blocks end at a line feed, which is never inside a UTF-8 sequence, so
                # decoding block by block proves the same as decoding the whole file.
                body.decode(UTF8)
            except UnicodeDecodeError:
                utf8 = False
            else:
                multibyte = multibyte or not body.isascii()
                continue
        multibyte = multibyte or _UTF8_MULTIBYTE.search(block) is not None
        if windows_1252:
            try:
                block.decode(WINDOWS_1252)
            except UnicodeDecodeError:
                windows_1252 = False
    if utf8:
        return Encoding(UTF8, skip)
    if skip or multibyte:
        _refuse_mixed_lines(line_blocks(path, block_bytes), file, problems)
        return None
    return Encoding(WINDOWS_1252 if windows_1252 else LATIN_1, 0)


def line_blocks(path: Path, block_bytes: int = _BLOCK) -> Iterator[bytes]:
    """The file's bytes in blocks of about ``block_bytes`` that end just after a line feed
    (the last block: at the end of the file)."""
    carry = b""
    with path.open("rb") as handle:
        while chunk := handle.read(block_bytes):
            data = carry + chunk
            end = data.rfind(b"\n")
            if end < 0:
                carry = data
                continue
            carry = data[end + 1 :]
            yield data[: end + 1]
    if carry:
        yield carry


def _looks_utf16(sample: bytes) -> bool:
    """UTF-16 without a byte-order mark: ASCII text puts NUL in every other byte."""
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.3


def _refuse_wide(file: str, name: str, problems: ProblemList) -> None:
    problems.error(
        file,
        None,
        None,
        f"Filen är sparad som {name} (i Excel kallat Unicode-text) och kan inte läsas. "
        "Spara den som CSV UTF-8 (i Excel: Spara som > CSV UTF-8) och importera igen.",
    )


def _refuse_mixed(data: bytes, file: str, problems: ProblemList) -> None:
    """Name the lines that are not UTF-8 in a file that otherwise is."""
    _refuse_mixed_lines(iter([data]), file, problems)


def _refuse_mixed_lines(blocks: Iterator[bytes], file: str, problems: ProblemList) -> None:
    bad: list[int] = []
    count = 0
    offset = 0
    for block in blocks:
        lines = block.split(b"\n")
        if block.endswith(b"\n"):
            lines.pop()  # the empty text after the block's last line feed
        for number, line in enumerate(lines, start=offset + 1):
            try:
                line.decode(UTF8)
            except UnicodeDecodeError:
                count += 1
                if len(bad) < MAX_LINES_NAMED:
                    bad.append(number)
        offset += len(lines)
    for number in bad:
        problems.error(
            file,
            number,
            None,
            "Raden är inte kodad som UTF-8 som resten av filen (den ser ut att vara "
            "Windows-1252, t.ex. från ett annat system eller inklistrad). Blandade "
            "teckenkodningar ger fel bokstäver (t.ex. 'HÃ¤llby'). Spara hela filen som "
            "CSV UTF-8 och importera igen.",
        )
    if count > len(bad):
        problems.error(
            file,
            None,
            None,
            f"Ytterligare {count - len(bad)} rader är inte kodade som UTF-8 som resten av filen.",
        )
