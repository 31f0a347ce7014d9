#!/usr/bin/env python3
"""Seeds corpus/package_parts: each seed is one byte naming the part (0 sheet1.xml,
1 sharedStrings.xml, 2 styles.xml, 3 workbook.xml, 4 workbook.xml.rels, 5 an .ods content.xml)
followed by that part as another program wrote it, taken from the test corpus, the fixtures
and the sample input. Run from fuzz/."""
import glob
import hashlib
import os
import zipfile

PARTS = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
         "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "content.xml"]
os.makedirs("corpus/package_parts", exist_ok=True)
files = (glob.glob("../tests/corpus/files/*") + glob.glob("../tests/fixtures/**/*", recursive=True)
         + glob.glob("../input/*.xlsx"))
made = 0
for path in files:
    try:
        archive = zipfile.ZipFile(path)
        names = archive.namelist()
        for choice, part in enumerate(PARTS):
            if part in names:
                data = archive.read(part)
                if len(data) <= 200_000:
                    seed = bytes([choice]) + data
                    name = hashlib.sha1(seed).hexdigest()[:16]
                    with open(f"corpus/package_parts/{name}", "wb") as out:
                        out.write(seed)
                    made += 1
    except (zipfile.BadZipFile, IsADirectoryError, OSError, RuntimeError, ValueError):
        continue
print(f"{made} seeds")
