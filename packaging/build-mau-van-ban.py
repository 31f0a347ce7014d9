#!/usr/bin/env python3
"""Builds templates/mau-van-ban.docx, the reference document every DOCX of baocao takes its
styles, page set-up, page-number header and footnote separators from, out of the XML parts in
packaging/mau-van-ban/. Deterministic: fixed entry order and timestamps.

Run after editing a part:  python3 packaging/build-mau-van-ban.py
An office may instead edit mau-van-ban.docx itself in Word or LibreOffice; baocao reads the
.docx, never these sources."""
import pathlib
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE / "mau-van-ban"
TARGET = HERE.parent / "templates" / "mau-van-ban.docx"
ORDER = ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
         "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml",
         "word/settings.xml", "word/numbering.xml", "word/footnotes.xml",
         "word/header1.xml", "word/header2.xml"]

found = sorted(str(p.relative_to(SOURCE)) for p in SOURCE.rglob("*") if p.is_file())
assert sorted(ORDER) == found, f"parts differ from the list: {found}"
with zipfile.ZipFile(TARGET, "w", zipfile.ZIP_DEFLATED) as docx:
    for name in ORDER:
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        docx.writestr(info, (SOURCE / name).read_bytes())
