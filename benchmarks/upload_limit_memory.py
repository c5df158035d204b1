"""Peak memory of reading an export whose largest file is at the upload limit.

A benchmark, not a test (it takes a minute or more): run it by hand when the import
changes, and update "Resource limits of the import" in docs/benchmarks.md.

    .venv/bin/python benchmarks/upload_limit_memory.py [--limit-mib 200] [--xlsx] [--batch-rows N]

It writes a valid export to a temporary folder: one unit, N employments with
valid personnummer, and a working-time file (arbetstid.csv) of 36 months per
employment filled up to the limit (with ``--xlsx``: arbetstid.xlsx with as many
rows as a sheet holds, 1 048 575, whose parts unpack to about the XLSX limit). Then ``read_export`` (read, validate,
pseudonymise, working time spooled to disk as in ``hallbar import``; not the
store) runs in a fresh process, whose peak resident
memory (``ru_maxrss``) and time are printed with the baseline of a process that
only imports the same modules.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hallbar.privacy.pseudonym import luhn_check_digit

MONTHS = [f"{2023 + m // 12}-{m % 12 + 1:02d}" for m in range(36)]
ROW_TEMPLATE = "{eid};{month};165,0;2,5;0,0;51,7;1\n"


def personnummer(i: int) -> str:
    """A valid 12-digit personnummer for person ``i`` (born 1960-2000, serials 001-999)."""
    born = date(1960, 1, 1) + timedelta(days=i % 14_600)
    serial = f"{i // 14_600 % 999 + 1:03d}"
    nine = born.strftime("%y%m%d") + serial
    return f"{born:%Y%m%d}-{serial}{luhn_check_digit(nine)}"


XLSX_MAX_ROWS = 1_048_575  # a sheet's rows below the header


def write_xlsx(folder: Path) -> int:
    import xlsxwriter

    n = XLSX_MAX_ROWS // len(MONTHS)
    _write_units_and_employments(folder, n)
    book = xlsxwriter.Workbook(str(folder / "arbetstid.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("arbetstid")
    header = ["anstallnings_id", "manad", "ordinarie_timmar", "overtid_timmar", "ob_timmar"]
    sheet.write_row(0, 0, header)
    row = 1
    for i in range(n):
        for month in MONTHS:
            sheet.write_row(row, 0, [str(1_000_000 + i), month, 165.0, 2.5, 51.7])
            row += 1
    book.close()
    return n


def _write_units_and_employments(folder: Path, n: int) -> None:
    (folder / "enheter.csv").write_text("enhet_id;enhetsnamn\n100;Kommunen\n", encoding="utf-8")
    with (folder / "anstallningar.csv").open("w", encoding="utf-8") as out:
        out.write(
            "anstallnings_id;personnummer;enhet_id;anstallningsform;sysselsattningsgrad;"
            "manadslon;startdatum;slutdatum;chefsansvar\n"
        )
        for i in range(n):
            out.write(
                f"{1_000_000 + i};{personnummer(i)};100;tillsvidare;100;32000;2020-01-01;;nej\n"
            )


def write_export(folder: Path, limit: int) -> int:
    per_employment = sum(len(ROW_TEMPLATE.format(eid=1_000_000, month=m)) for m in MONTHS)
    header = "anstallnings_id;manad;ordinarie_timmar;overtid_timmar;mertid_timmar;ob_timmar;delade_turer\n"
    n = (limit - len(header) - 3) // per_employment
    _write_units_and_employments(folder, n)
    with (folder / "arbetstid.csv").open("w", encoding="utf-8-sig") as out:
        out.write(header)
        for i in range(n):
            out.write("".join(ROW_TEMPLATE.format(eid=1_000_000 + i, month=m) for m in MONTHS))
    return n


MEASURE = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
from hallbar.ingest import ImportRequest, read_export
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
started = time.perf_counter()
result = read_export(ImportRequest(Path(sys.argv[1]), "9999", "Test", date(2025, 12, 31), bytes(32),
                                   max_file_bytes=int(sys.argv[2]), batch_rows=int(sys.argv[3]),
                                   spool_dir=Path(sys.argv[4])))
print(json.dumps({"seconds": time.perf_counter() - started, "ok": result.ok,
                  "errors": [str(p) for p in result.errors][:3], "baseline": baseline,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit-mib", type=int, default=200, help="upload limit (MiB)")
    parser.add_argument("--xlsx", action="store_true", help="a full XLSX sheet instead of CSV")
    parser.add_argument("--batch-rows", type=int, default=1_000_000, help="import_batch_rows")
    args = parser.parse_args()
    limit = args.limit_mib * 1024**2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        spool = Path(tmp) / "spool"  # the spooled tables stay on disk, as in `hallbar import`
        folder.mkdir()
        spool.mkdir()
        n = write_xlsx(folder) if args.xlsx else write_export(folder, limit)
        data_file = folder / ("arbetstid.xlsx" if args.xlsx else "arbetstid.csv")
        size = data_file.stat().st_size
        if args.xlsx:
            import zipfile

            with zipfile.ZipFile(data_file) as archive:
                unpacked = sum(i.file_size for i in archive.infolist())
            print(f"arbetstid.xlsx unpacks to {unpacked / 1024**2:.1f} MiB")
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                MEASURE,
                str(folder),
                str(limit),
                str(args.batch_rows),
                str(spool),
            ],
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            raise SystemExit(out.stderr)
        report = json.loads(out.stdout.strip().splitlines()[-1])
    gib = 1024**3
    print(
        f"{data_file.name}: {size / 1024**2:.1f} MiB, {n} employments x 36 months = {n * 36} rows"
    )
    print(f"read_export: {report['seconds']:.1f} s, ok={report['ok']} {report['errors']}")
    print(
        f"peak memory: {report['peak'] / gib:.2f} GiB (modules loaded: {report['baseline'] / gib:.2f} GiB)"
    )


if __name__ == "__main__":
    main()
