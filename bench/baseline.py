#!/usr/bin/env python3
"""Today's way, in Python: the school targets job as an office script would do it.

    python bench/baseline.py --input DIR/input/truong --registry DIR/truong.csv \
        --targets config/chi-tieu.toml --period 2025-11 --output DIR/py-out

For every school workbook (Form D) under --input: ``pandas.read_excel(path, sheet_name=None,
engine="openpyxl")``; ``Thông tin`` gives the school, ``Số liệu`` its figures (the header row
``Mã | Chỉ tiêu | Giá trị`` may stand below a banner). Unreadable workbooks, workbooks of
another period, unknown school codes, figures that are not whole numbers and figures that
break a consistency rule are skipped with a message, as the office's script does. The
accepted figures become one DataFrame; each indicator of the targets file is computed with
pandas groupby by ward x level, by ward, by level, by type, by level x type and city-wide,
and judged against its target. Writes ``chi-tieu-YYYY-MM.xlsx`` (xlsxwriter: a sheet per level
with wards as rows and indicators as columns, conditional formatting, a chart per key
indicator; a summary sheet; the schools below target; the non-submitters; the messages) and
``chi-tieu-YYYY-MM.docx`` (python-docx: a table per level and a sentence per missed target).

Exit status 0 when every registered school was accepted, 2 otherwise (as baocao).
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
import tomllib
from pathlib import Path

import pandas as pd
import xlsxwriter
from docx import Document
from docx.shared import Pt

LEVELS = ["Mầm non", "Tiểu học", "THCS", "THPT", "Liên cấp"]
TYPES = ["Công lập", "Ngoài công lập"]
SCHOOL_COUNT = "SO_TRUONG"

# Consistency rules of Form D: left <= right.
RULES = [
    ("TRE_NHA_TRE", "DS_NHA_TRE"),
    ("TRE_MAU_GIAO", "DS_MAU_GIAO"),
    ("TRE_5_TUOI", "DS_5_TUOI"),
    ("TRE_5_TUOI", "TRE_MAU_GIAO"),
    ("HS_LOP1_6_TUOI", "DS_6_TUOI"),
    ("TRE_SDD", "TRE_CAN_DO"),
    ("TRE_THUA_CAN", "TRE_CAN_DO"),
    ("HS_2_BUOI", "HOC_SINH"),
    ("HS_HT_TIEU_HOC", "HS_LOP_5"),
    ("HS_TN_THCS", "HS_LOP_9"),
    ("GV_DAT_CHUAN", "GIAO_VIEN"),
    ("GV_TREN_CHUAN", "GV_DAT_CHUAN"),
    ("PHONG_KIEN_CO", "PHONG_HOC"),
]

WHOLE = re.compile(r"^\d+$")
GROUPED = re.compile(r"^\d{1,3}([. ]\d{3})+$")


# ------------------------------------------------------------------------------------------
# Vietnamese formatting


def vn_int(n: int) -> str:
    return f"{int(n):,}".replace(",", ".")


def vn_pct(x: float, decimals: int = 1) -> str:
    return f"{x:.{decimals}f}".replace(".", ",") + "%"


# ------------------------------------------------------------------------------------------
# Reading


def whole_number(value):
    """A figure cell as a whole number >= 0, or None if it is not one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if float(value).is_integer() and value >= 0:
            return int(value)
        return None
    text = str(value).strip()
    if WHOLE.match(text):
        return int(text)
    if GROUPED.match(text):
        return int(text.replace(".", "").replace(" ", ""))
    return None


class Reject(Exception):
    """A workbook left out, with the message to print and the school code if it was read."""

    def __init__(self, message, code=None):
        super().__init__(message)
        self.code = code


def read_school(path: Path, period_label: str):
    """Returns (info, figures) or raises Reject with the message to print."""
    try:
        sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)
    except Exception as e:  # noqa: BLE001 - an office script skips whatever does not open
        raise Reject(f"không đọc được tệp ({type(e).__name__}: {e})") from None
    names = {str(k).strip(): v for k, v in sheets.items()}
    if "Thông tin" not in names or "Số liệu" not in names:
        raise Reject("không có trang «Thông tin» và «Số liệu» (không phải Biểu D)")

    info_df = names["Thông tin"]
    info = {}
    for _, row in info_df.iterrows():
        key, value = row.iloc[0], row.iloc[1] if len(row) > 1 else None
        if isinstance(key, str) and key.strip() and key.strip() != "Trường":
            info[key.strip()] = "" if pd.isna(value) else str(value).strip()
    code = info.get("Mã trường") or None
    for field in ("Mã trường", "Cấp học", "Loại hình", "Xã/phường", "Kỳ báo cáo"):
        if not info.get(field):
            raise Reject(f"«Thông tin» thiếu «{field}»", code)
    if info["Kỳ báo cáo"] != period_label:
        raise Reject(f"kỳ báo cáo {info['Kỳ báo cáo']}, không phải {period_label}")

    data = names["Số liệu"]
    header = None
    for i in range(min(15, len(data))):
        if str(data.iat[i, 0]).strip() == "Mã":
            header = i
            break
    if header is None:
        raise Reject("«Số liệu» không có dòng tiêu đề «Mã | Chỉ tiêu | Giá trị»", code)
    table = data.iloc[header + 1 :].copy()
    table.columns = [str(c).strip() for c in data.iloc[header]]
    if "Giá trị" not in table.columns:
        raise Reject("«Số liệu» thiếu cột «Giá trị»", code)
    table = table.dropna(subset=["Mã"])

    figures = {}
    errors = []
    for code, value in zip(table["Mã"], table["Giá trị"]):
        code = str(code).strip().upper()
        n = whole_number(value)
        if n is None:
            errors.append(f"{code}: «{value}» không phải số nguyên không âm")
        else:
            figures[code] = n
    for left, right in RULES:
        if left in figures and right in figures and figures[left] > figures[right]:
            errors.append(f"{left} ({figures[left]}) lớn hơn {right} ({figures[right]})")
    level_qg = figures.get("MUC_CHUAN_QG")
    if level_qg is not None and level_qg > 2:
        errors.append(f"MUC_CHUAN_QG ({level_qg}) phải là 0, 1 hoặc 2")
    if errors:
        raise Reject("; ".join(errors), code)
    return info, figures


# ------------------------------------------------------------------------------------------
# Targets


def load_targets(path: Path):
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    out = []
    for ind in doc.get("indicator", []):
        out.append(
            {
                "code": ind["code"],
                "name": ind["name"],
                "numerator": ind["numerator"].strip().upper(),
                "denominator": ind["denominator"].strip().upper(),
                "at_least_value": ind.get("numerator_at_least"),
                "target": ind.get("target"),
                "direction": ind.get("direction", "at_least"),
                "levels": ind.get("levels") or LEVELS,
                "types": ind.get("types") or TYPES,
                "counted": ind.get("counted", ""),
                "chart": ind.get("chart", False),
                "source": ind.get("source", ""),
            }
        )
    return out


def verdict(ind, num, den):
    if den == 0:
        return "Không tính được"
    if ind["target"] is None:
        return ""
    # Exact: num/den >= target% as integers, so 99,9% is never judged on a rounding error.
    left, right = num * 10_000, round(ind["target"] * 100) * den
    ok = left >= right if ind["direction"] == "at_least" else left <= right
    return "Đạt" if ok else "Chưa đạt"


def rate_text(ind, num, den):
    """One decimal, or two when one would round a missed target onto it (2,0% > 2%)."""
    if den == 0:
        return "không tính được"
    shown = vn_pct(100.0 * num / den)
    if ind["target"] is not None:
        v = verdict(ind, num, den)
        tenths = round(1000.0 * num / den)
        target_tenths = ind["target"] * 10
        rounded_met = tenths >= target_tenths if ind["direction"] == "at_least" else tenths <= target_tenths
        if rounded_met != (v == "Đạt"):
            shown = vn_pct(100.0 * num / den, 2)
    return shown


def target_text(target):
    return vn_pct(target, 0 if float(target).is_integer() else 1 if round(target, 1) == target else 2)


def figure_text(ind, num, den):
    counted = f" {ind['counted']}" if ind["counted"] else ""
    return f"{vn_int(num)}{counted}/{vn_int(den)} ({rate_text(ind, num, den)})"


def contributions(schools: pd.DataFrame, ind) -> pd.DataFrame:
    """One row per school counted in the indicator, with its numerator and denominator."""
    num_col, den_col = ind["numerator"], ind["denominator"]
    if num_col not in schools.columns:
        return schools.iloc[0:0].assign(fig_num=0, fig_den=0)
    mask = (
        schools["level"].isin(ind["levels"])
        & schools["type"].isin(ind["types"])
        & schools[num_col].notna()
    )
    if den_col != SCHOOL_COUNT:
        if den_col not in schools.columns:
            return schools.iloc[0:0].assign(fig_num=0, fig_den=0)
        mask &= schools[den_col].notna()
    sub = schools.loc[mask, ["code", "name", "ward", "level", "type"]].copy()
    if ind["at_least_value"] is not None:
        sub["fig_num"] = (schools.loc[mask, num_col] >= ind["at_least_value"]).astype("int64")
    else:
        sub["fig_num"] = schools.loc[mask, num_col].astype("int64")
    if den_col == SCHOOL_COUNT:
        sub["fig_den"] = 1
    else:
        sub["fig_den"] = schools.loc[mask, den_col].astype("int64")
    return sub


def grouped(sub: pd.DataFrame, keys):
    if not keys:
        return {(): (int(sub["fig_num"].sum()), int(sub["fig_den"].sum()), len(sub))}
    g = sub.groupby(keys, sort=False).agg(
        num=("fig_num", "sum"), den=("fig_den", "sum"), n=("fig_num", "size")
    )
    out = {}
    for key, row in g.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        out[key] = (int(row["num"]), int(row["den"]), int(row["n"]))
    return out


# ------------------------------------------------------------------------------------------
# Outputs


def write_xlsx(path, period_label, indicators, results, wards, coverage, below, absent, messages):
    wb = xlsxwriter.Workbook(str(path))
    bold = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    pct = wb.add_format({"num_format": "0.0%", "border": 1})
    txt = wb.add_format({"border": 1})
    good = wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})
    bad = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
    title = wb.add_format({"bold": True, "font_size": 13})

    # Summary: every indicator city-wide, by level, by type.
    ws = wb.add_worksheet("Tổng hợp")
    ws.write(0, 0, f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU THÁNG {period_label}", title)
    heads = ["Chỉ tiêu", "Phạm vi", "Kết quả", "Tỷ lệ", "Mục tiêu", "Đánh giá", "Nguồn"]
    for c, h in enumerate(heads):
        ws.write(2, c, h, bold)
    r = 3
    for i, ind in enumerate(indicators):
        res = results[i]
        scopes = [("Toàn thành phố", res["city"].get((), (0, 0, 0)))]
        scopes += [(lv, v) for (lv,), v in sorted(res["level"].items(), key=lambda kv: LEVELS.index(kv[0][0]))]
        scopes += [(t, v) for (t,), v in res["type"].items()]
        for scope, (num, den, _) in scopes:
            ws.write(r, 0, ind["name"], txt)
            ws.write(r, 1, scope, txt)
            ws.write(r, 2, figure_text(ind, num, den), txt)
            if den:
                ws.write_number(r, 3, num / den, pct)
            else:
                ws.write(r, 3, "không tính được", txt)
            ws.write(r, 4, "" if ind["target"] is None else round(ind["target"] / 100, 6), pct)
            ws.write(r, 5, verdict(ind, num, den), txt)
            ws.write(r, 6, ind["source"], txt)
            r += 1
    ws.set_column(0, 0, 40)
    ws.set_column(1, 1, 18)
    ws.set_column(2, 2, 30)
    ws.set_column(6, 6, 30)

    # One sheet per level: wards as rows, indicators as columns.
    for level in LEVELS:
        inds = [(i, ind) for i, ind in enumerate(indicators) if level in ind["levels"]]
        level_wards = [w for w in wards if (level, w) in coverage]
        if not level_wards:
            continue
        ws = wb.add_worksheet(level)
        ws.write(0, 0, f"{level.upper()} — CHỈ TIÊU THEO XÃ/PHƯỜNG, THÁNG {period_label}", title)
        ws.write(2, 0, "Xã/phường", bold)
        ws.write(2, 1, "Số trường báo cáo/phải báo cáo", bold)
        for c, (_, ind) in enumerate(inds):
            ws.write(2, 2 + c, ind["name"], bold)
        ws.write(3, 0, "Mục tiêu", bold)
        for c, (_, ind) in enumerate(inds):
            if ind["target"] is not None:
                ws.write_number(3, 2 + c, round(ind["target"] / 100, 6), pct)
        first = 4
        for r, ward in enumerate(level_wards, start=first):
            exp, rep = coverage[(level, ward)]
            ws.write(r, 0, ward, txt)
            ws.write(r, 1, f"{rep}/{exp}", txt)
            for c, (i, ind) in enumerate(inds):
                num, den, _ = results[i]["ward_level"].get((ward, level), (0, 0, 0))
                if den:
                    ws.write_number(r, 2 + c, num / den, pct)
                else:
                    ws.write(r, 2 + c, "không tính được", txt)
        last = first + len(level_wards) - 1
        total = last + 1
        ws.write(total, 0, "Toàn thành phố", bold)
        for c, (i, ind) in enumerate(inds):
            num, den, _ = results[i]["level"].get((level,), (0, 0, 0))
            if den:
                ws.write_number(total, 2 + c, num / den, pct)
            else:
                ws.write(total, 2 + c, "không tính được", txt)
        for c, (i, ind) in enumerate(inds):
            if ind["target"] is None:
                continue
            t = round(ind["target"] / 100, 6)
            ok, ko = (">=", "<") if ind["direction"] == "at_least" else ("<=", ">")
            rng = (first, 2 + c, total, 2 + c)
            ws.conditional_format(*rng, {"type": "cell", "criteria": ok, "value": t, "format": good})
            ws.conditional_format(*rng, {"type": "cell", "criteria": ko, "value": t, "format": bad})
        # A chart per key indicator: wards against the target line.
        chart_row = total + 2
        for c, (i, ind) in enumerate(inds):
            if not ind["chart"]:
                continue
            col = 2 + c
            chart = wb.add_chart({"type": "column"})
            chart.add_series(
                {
                    "name": ind["name"],
                    "categories": [level, first, 0, last, 0],
                    "values": [level, first, col, last, col],
                }
            )
            if ind["target"] is not None:
                helper = 2 + len(inds) + c
                ws.write(2, helper, f"Mục tiêu — {ind['code']}", bold)
                for rr in range(first, last + 1):
                    ws.write_number(rr, helper, round(ind["target"] / 100, 6))
                line = wb.add_chart({"type": "line"})
                line.add_series(
                    {
                        "name": "Mục tiêu",
                        "categories": [level, first, 0, last, 0],
                        "values": [level, first, helper, last, helper],
                    }
                )
                chart.combine(line)
            chart.set_title({"name": ind["name"]})
            chart.set_y_axis({"num_format": "0%"})
            chart.set_size({"width": 960, "height": 360})
            ws.insert_chart(chart_row, 0, chart)
            chart_row += 20
        ws.set_column(0, 0, 26)
        ws.set_column(1, 1, 14)
        ws.set_column(2, 1 + len(inds), 16)
        ws.freeze_panes(4, 2)

    ws = wb.add_worksheet("Trường chưa đạt")
    heads = ["Chỉ tiêu", "Mã trường", "Tên trường", "Cấp học", "Loại hình", "Xã/phường", "Kết quả", "Tỷ lệ", "Mục tiêu"]
    for c, h in enumerate(heads):
        ws.write(0, c, h, bold)
    for r, b in enumerate(below, start=1):
        ind = b["ind"]
        ws.write(r, 0, ind["name"])
        ws.write(r, 1, b["code"])
        ws.write(r, 2, b["name"])
        ws.write(r, 3, b["level"])
        ws.write(r, 4, b["type"])
        ws.write(r, 5, b["ward"])
        ws.write(r, 6, figure_text(ind, b["num"], b["den"]))
        ws.write_number(r, 7, b["num"] / b["den"], pct)
        ws.write_number(r, 8, round(ind["target"] / 100, 6), pct)
    ws.set_column(0, 0, 36)
    ws.set_column(2, 2, 36)
    ws.set_column(5, 6, 24)

    ws = wb.add_worksheet("Chưa nộp")
    for c, h in enumerate(["Xã/phường", "Mã trường", "Tên trường", "Cấp học", "Loại hình", "Tình trạng"]):
        ws.write(0, c, h, bold)
    for r, a in enumerate(absent, start=1):
        for c, v in enumerate(a):
            ws.write(r, c, v)
    ws.set_column(0, 0, 24)
    ws.set_column(2, 2, 36)

    ws = wb.add_worksheet("Kiểm tra")
    ws.write(0, 0, "Tệp", bold)
    ws.write(0, 1, "Thông báo", bold)
    for r, (f, m) in enumerate(messages, start=1):
        ws.write(r, 0, f)
        ws.write(r, 1, m)
    ws.set_column(0, 1, 60)
    wb.close()


def write_docx(path, period_label, indicators, results, coverage_wards):
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    doc.add_heading(f"Kết quả thực hiện các chỉ tiêu tháng {period_label}", level=2)
    for level in LEVELS:
        inds = [(i, ind) for i, ind in enumerate(indicators) if level in ind["levels"]]
        if not inds or (level,) not in results[inds[0][0]]["level"] and not any(
            (level,) in results[i]["level"] for i, _ in inds
        ):
            continue
        doc.add_heading(level, level=3)
        table = doc.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        for c, h in enumerate(["STT", "Chỉ tiêu", "Kết quả", "Mục tiêu", "Đánh giá", "Xã/phường chưa đạt"]):
            table.rows[0].cells[c].text = h
        missed = []
        for n, (i, ind) in enumerate(inds, start=1):
            num, den, _ = results[i]["level"].get((level,), (0, 0, 0))
            v = verdict(ind, num, den)
            wards_missed = sum(
                1
                for (w, lv), (a, b, _) in results[i]["ward_level"].items()
                if lv == level and b and verdict(ind, a, b) == "Chưa đạt"
            )
            wards_total = coverage_wards.get(level, 0)
            cells = table.add_row().cells
            cells[0].text = str(n)
            cells[1].text = ind["name"]
            cells[2].text = figure_text(ind, num, den)
            cells[3].text = "" if ind["target"] is None else target_text(ind["target"])
            cells[4].text = v
            cells[5].text = "" if ind["target"] is None else f"{wards_missed}/{wards_total}"
            if v == "Chưa đạt":
                missed.append((ind, num, den, wards_missed, wards_total))
        for ind, num, den, wm, wt in missed:
            word = "tối thiểu" if ind["direction"] == "at_least" else "tối đa"
            doc.add_paragraph(
                f"Chỉ tiêu «{ind['name']}» cấp {level} chưa đạt: {figure_text(ind, num, den)}, "
                f"mục tiêu {word} {target_text(ind['target'])}; {wm}/{wt} xã/phường chưa đạt."
            )
    doc.save(str(path))


# ------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True, type=Path, help="folder of school workbooks (read recursively)")
    ap.add_argument("--registry", required=True, type=Path, help="truong.csv")
    ap.add_argument("--targets", required=True, type=Path, help="chi-tieu.toml")
    ap.add_argument("--period", default="2025-11")
    ap.add_argument("--output", required=True, type=Path)
    ap.add_argument("--quiet", action="store_true", help="do not print each skipped file")
    args = ap.parse_args()

    started = time.monotonic()
    year, month = args.period.split("-")
    period_label = f"{int(month):02d}/{year}"
    indicators = load_targets(args.targets)
    registry = pd.read_csv(args.registry, dtype=str, encoding="utf-8").rename(
        columns={
            "Mã trường": "code",
            "Tên trường": "name",
            "Cấp học": "level",
            "Loại hình": "type",
            "Xã/phường": "ward",
        }
    )
    registry["code"] = registry["code"].str.strip()
    known = set(registry["code"])

    paths = sorted(
        p for p in args.input.rglob("*") if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm")
    )
    messages = []
    records = []
    accepted = set()
    rejected = set()
    for path in paths:
        try:
            info, figures = read_school(path, period_label)
            code = info["Mã trường"]
            if code not in known:
                raise Reject(f"mã trường «{code}» không có trong danh sách trường")
            if code in accepted:
                raise Reject(f"trường {code} đã có báo cáo khác trong kỳ; bỏ qua tệp này")
        except Reject as e:
            messages.append((str(path), str(e)))
            if not args.quiet:
                print(f"Bỏ qua {path}: {e}", file=sys.stderr)
            if e.code in known and e.code not in accepted:
                rejected.add(e.code)
            continue
        accepted.add(code)
        row = {"code": code}
        row.update(figures)
        records.append(row)
    read_done = time.monotonic()

    figures = pd.DataFrame.from_records(records)
    if figures.empty:
        figures = pd.DataFrame(columns=["code"])
    # The registry is the reference for the school's ward, level and type.
    schools = registry.merge(figures, on="code", how="inner")

    results = []
    below = []
    for ind in indicators:
        sub = contributions(schools, ind)
        res = {
            "city": grouped(sub, []),
            "level": grouped(sub, ["level"]),
            "type": grouped(sub, ["type"]),
            "level_type": grouped(sub, ["level", "type"]),
            "ward": grouped(sub, ["ward"]),
            "ward_level": grouped(sub, ["ward", "level"]),
        }
        results.append(res)
        if ind["target"] is not None:
            s = sub[sub["fig_den"] > 0]
            left = s["fig_num"] * 10_000
            right = round(ind["target"] * 100) * s["fig_den"]
            miss = left < right if ind["direction"] == "at_least" else left > right
            for rec in s[miss].itertuples(index=False):
                below.append(
                    {
                        "ind": ind,
                        "code": rec.code,
                        "name": rec.name,
                        "level": rec.level,
                        "type": rec.type,
                        "ward": rec.ward,
                        "num": int(rec.fig_num),
                        "den": int(rec.fig_den),
                    }
                )

    # Coverage and non-submitters per ward and level.
    wards = sorted(registry["ward"].unique())
    reg_cov = registry.assign(rep=registry["code"].isin(accepted)).groupby(["level", "ward"]).agg(
        exp=("code", "size"), rep=("rep", "sum")
    )
    coverage = {k: (int(v["exp"]), int(v["rep"])) for k, v in reg_cov.iterrows()}
    coverage_wards = registry.groupby("level")["ward"].nunique().to_dict()
    missing = registry[~registry["code"].isin(accepted)].sort_values(["ward", "level", "code"])
    absent = [
        (r.ward, r.code, r.name, r.level, r.type, "Có lỗi, chưa tổng hợp" if r.code in rejected else "Chưa nộp")
        for r in missing.itertuples(index=False)
    ]

    args.output.mkdir(parents=True, exist_ok=True)
    slug = f"{year}-{int(month):02d}"
    write_xlsx(
        args.output / f"chi-tieu-{slug}.xlsx",
        period_label,
        indicators,
        results,
        wards,
        coverage,
        below,
        absent,
        messages,
    )
    write_docx(args.output / f"chi-tieu-{slug}.docx", period_label, indicators, results, coverage_wards)
    done = time.monotonic()
    print(
        f"tệp {len(paths)}, nhận {len(accepted)}, bỏ qua {len(messages)}, "
        f"chưa có số liệu {len(absent)}/{len(registry)} trường, "
        f"trường chưa đạt {len(below)} dòng; đọc {read_done - started:.1f} s, "
        f"tổng {done - started:.1f} s"
    )
    return 0 if not messages and not absent else 2


if __name__ == "__main__":
    sys.exit(main())
