//! Typing Vietnamese the old way, for tests: Unicode text encoded in TCVN3 (ABC, `.VnTime`)
//! or VNI-Windows as the characters an 8-bit font leaves in a workbook, and a Form A workbook
//! retyped by hand the messy way (banners, blank rows, unaccented headers, columns in another
//! order, numbers and dates as text, merged cells, legacy-encoded text).
//!
//! The encoders are written from the published tables independently of the library's decoders,
//! so that a test that encodes here and decodes there checks both.
#![allow(dead_code)]

use std::path::Path;

use anyhow::{Context, Result};
use baocao::text::legacy::Encoding;
use rust_xlsxwriter::{Format, Formula, Workbook};
use unicode_normalization::UnicodeNormalization;

use super::form_a::SampleSubmission;

/// Vietnamese letters and their TCVN3 bytes (TCVN 5712:1993), lower case then the capitals.
const TCVN3_LETTERS: &str = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ\
ĂÂĐÊÔƠƯÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ";
const TCVN3_BYTES: [u8; 134] = [
    0xB5, 0xB8, 0xB6, 0xB7, 0xB9, 0xA8, 0xBB, 0xBE, 0xBC, 0xBD, 0xC6, 0xA9, 0xC7, 0xCA, 0xC8, 0xC9,
    0xCB, 0xAE, 0xCC, 0xD0, 0xCE, 0xCF, 0xD1, 0xAA, 0xD2, 0xD5, 0xD3, 0xD4, 0xD6, 0xD7, 0xDD, 0xD8,
    0xDC, 0xDE, 0xDF, 0xE3, 0xE1, 0xE2, 0xE4, 0xAB, 0xE5, 0xE8, 0xE6, 0xE7, 0xE9, 0xAC, 0xEA, 0xED,
    0xEB, 0xEC, 0xEE, 0xEF, 0xF3, 0xF1, 0xF2, 0xF4, 0xAD, 0xF5, 0xF8, 0xF6, 0xF7, 0xF9, 0xFA, 0xFD,
    0xFB, 0xFC, 0xFE, // lower case
    0xA1, 0xA2, 0xA7, 0xA3, 0xA4, 0xA5, 0xA6, // Ă Â Đ Ê Ô Ơ Ư
    0x80, 0x83, 0x81, 0x82, 0x84, 0xAF, 0xC0, 0xBA, 0xBF, 0x85, 0xC1, 0xC4, 0xC2, 0xC3, 0x86, 0x87,
    0x8A, 0x88, 0x89, 0x8B, 0xC5, 0xDA, 0xCD, 0xD9, 0x8C, 0x8D, 0x90, 0x8E, 0x8F, 0x91, 0x92, 0x95,
    0x93, 0x94, 0x96, 0xDB, 0xFF, 0xE0, 0xF0, 0x97, 0x98, 0x9B, 0x99, 0x9A, 0x9C, 0x9D, 0x01, 0x9E,
    0x9F, 0x02, 0x04, 0x11, 0x05, 0x06, 0x12, 0x13, 0x16, 0x14, 0x15, 0x17,
];

/// The character Windows-1252 shows for a byte (C1 code points for its five holes).
fn cp1252(byte: u8) -> char {
    const HIGH: &str = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ";
    match byte {
        0x80..=0x9F => HIGH.chars().nth(usize::from(byte - 0x80)).unwrap_or('?'),
        _ => char::from(byte),
    }
}

fn tcvn3_char(ch: char) -> Option<char> {
    TCVN3_LETTERS
        .chars()
        .position(|c| c == ch)
        .map(|i| cp1252(TCVN3_BYTES[i]))
}

/// Tone marks as VNI bytes: sắc, huyền, hỏi, ngã, nặng.
const VNI_TONES: [(char, char); 5] = [
    ('\u{0301}', 'ù'),
    ('\u{0300}', 'ø'),
    ('\u{0309}', 'û'),
    ('\u{0303}', 'õ'),
    ('\u{0323}', 'ï'),
];
/// The circumflex byte, alone then with each tone (same order).
const VNI_CIRCUMFLEX: [char; 6] = ['â', 'á', 'à', 'å', 'ã', 'ä'];
/// The breve byte, alone then with each tone.
const VNI_BREVE: [char; 6] = ['ê', 'é', 'è', 'ú', 'ü', 'ë'];
/// `i` with each tone is one byte.
const VNI_I: [char; 5] = ['í', 'ì', 'æ', 'ó', 'ò'];

fn upper_if(ch: char, upper: bool) -> char {
    if upper {
        ch.to_uppercase().next().unwrap_or(ch)
    } else {
        ch
    }
}

fn vni_letter(ch: char) -> Option<String> {
    match ch {
        'đ' => return Some("ñ".into()),
        'Đ' => return Some("Ñ".into()),
        _ => {}
    }
    let mut parts = ch.to_string().nfd().collect::<Vec<char>>().into_iter();
    let base = parts.next()?;
    let upper = base.is_uppercase();
    let marks: Vec<char> = parts.collect();
    let tone = VNI_TONES.iter().position(|(mark, _)| marks.contains(mark));
    let shape = marks
        .iter()
        .find(|m| matches!(m, '\u{0302}' | '\u{0306}' | '\u{031B}'));
    let lower = base.to_lowercase().next()?;
    let mut out = String::new();
    match (lower, shape, tone) {
        ('i', None, Some(t)) => out.push(upper_if(VNI_I[t], upper)),
        ('y', None, Some(4)) => out.push(upper_if('î', upper)),
        ('o', Some('\u{031B}'), t) | ('u', Some('\u{031B}'), t) => {
            out.push(upper_if(if lower == 'o' { 'ô' } else { 'ö' }, upper));
            out.extend(t.map(|t| upper_if(VNI_TONES[t].1, upper)));
        }
        ('a' | 'e' | 'o', Some('\u{0302}'), t) => {
            out.push(base);
            out.push(upper_if(VNI_CIRCUMFLEX[t.map_or(0, |t| t + 1)], upper));
        }
        ('a', Some('\u{0306}'), t) => {
            out.push(base);
            out.push(upper_if(VNI_BREVE[t.map_or(0, |t| t + 1)], upper));
        }
        ('a' | 'e' | 'o' | 'u' | 'y', None, Some(t)) => {
            out.push(base);
            out.push(upper_if(VNI_TONES[t].1, upper));
        }
        _ => return None,
    }
    Some(out)
}

/// `text` as typed with a legacy font, or `None` when it holds characters the encoding
/// cannot (curly quotes and dashes show as letters in those fonts, so nobody types them).
pub fn encode(text: &str, encoding: Encoding) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.nfc() {
        if ch.is_ascii() {
            out.push(ch);
            continue;
        }
        match encoding {
            Encoding::Tcvn3 => out.push(tcvn3_char(ch)?),
            Encoding::Vni => out.push_str(&vni_letter(ch)?),
        }
    }
    Some(out)
}

/// `text` encoded when the encoding can hold it, else as it is (a unit pasting from a
/// Unicode document).
pub fn typed(text: &str, encoding: Encoding) -> String {
    encode(text, encoding).unwrap_or_else(|| text.to_string())
}

/// Every free text of a submission.
pub fn texts_of(s: &SampleSubmission) -> Vec<String> {
    let mut texts: Vec<String> = s.info.iter().map(|(_, v)| v.clone()).collect();
    for f in &s.figures {
        texts.extend([f.label.clone(), f.unit.clone(), f.note.clone()]);
    }
    for t in s.results.iter().chain(&s.next_tasks) {
        texts.extend([t.field.clone(), t.content.clone()]);
    }
    texts.extend(s.shortcomings.iter().map(|t| t.content.clone()));
    for d in &s.advised {
        texts.extend([d.number.clone(), d.issuer.clone(), d.summary.clone()]);
    }
    for d in &s.overdue {
        texts.extend([d.procedure.clone(), d.time_limit.clone()]);
    }
    for p in s.assessment.iter().chain(&s.general_tasks) {
        texts.extend([p.content.clone(), p.footnote.clone()]);
    }
    texts.retain(|t| !t.trim().is_empty());
    texts
}

/// `1231` → `1.231`.
fn grouped(value: i64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// `2025-10-30` → `30/10/2025`, `2025-10-30`, `ngày 30 tháng 10 năm 2025` (typed in the
/// encoding) or the Excel serial, by turns.
fn messy_date(iso: &str, turn: usize, encoding: Encoding) -> Result<DateCell> {
    let date = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").context("sample date")?;
    Ok(match turn % 4 {
        0 => DateCell::Text(date.format("%d/%m/%Y").to_string()),
        1 => DateCell::Text(iso.to_string()),
        2 => DateCell::Text(typed(
            &date.format("ngày %d tháng %m năm %Y").to_string(),
            encoding,
        )),
        _ => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).context("epoch")?;
            DateCell::Serial((date - epoch).num_days() as f64)
        }
    })
}

enum DateCell {
    Text(String),
    Serial(f64),
}

/// `2025-11-07 13:39:00` → `07-11-2025 13:39:00` or `07/11/2025 13:39:00`, by turns.
fn messy_datetime(text: &str, turn: usize) -> Result<String> {
    let at = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .context("sample date-time")?;
    Ok(if turn.is_multiple_of(2) {
        at.format("%d-%m-%Y %H:%M:%S").to_string()
    } else {
        at.format("%d/%m/%Y %H:%M:%S").to_string()
    })
}

/// A title merged across the first columns of row 1, above the table.
fn banner(sheet: &mut rust_xlsxwriter::Worksheet, title: &str, last_col: u16) -> Result<()> {
    sheet.merge_range(0, 0, 0, last_col, title, &Format::new().set_bold())?;
    Ok(())
}

/// Writes `s` as a unit retyping the form by hand would: sheets and headers without accents,
/// a merged banner and blank rows above every table, columns in another order, blank rows
/// between data rows, figures as Vietnamese-grouped text (one as a formula), dates and
/// date-times as text in several forms or as serials, same-field tasks under one merged cell,
/// the unit known only by its name typed in TCVN3, and the other texts typed in `encoding`.
pub fn write_messy(s: &SampleSubmission, encoding: Encoding, path: &Path) -> Result<()> {
    let mut book = Workbook::new();
    let t = |text: &str| typed(text, encoding);

    // Thông tin: the pairs in columns B–C from row 4, the name in C5.
    {
        let sheet = book.add_worksheet().set_name("THONG TIN")?;
        banner(sheet, "PHIẾU THÔNG TIN BÁO CÁO THÁNG", 2)?;
        let name = s.info_value("Tên đơn vị").context("Tên đơn vị")?;
        let period = s.info_value("Kỳ báo cáo").context("Kỳ báo cáo")?;
        let month = period.split('/').next().unwrap_or("11");
        let year = period.split('/').nth(1).unwrap_or("2025");
        let mut pairs = vec![
            (
                "Ky bao cao",
                typed(&format!("tháng {month} năm {year}"), encoding),
            ),
            ("Ten don vi", typed(name, Encoding::Tcvn3)),
        ];
        if let Some(by) = s.info_value("Người lập") {
            pairs.push(("Nguoi lap", t(by)));
        }
        if let Some(on) = s.info_value("Ngày lập") {
            let date = chrono::NaiveDate::parse_from_str(on, "%d/%m/%Y").context("Ngày lập")?;
            pairs.push((
                "Ngay lap",
                t(&date.format("ngày %d tháng %m năm %Y").to_string()),
            ));
        }
        for (i, (key, value)) in pairs.iter().enumerate() {
            let row = 3 + i as u32;
            sheet.write_string(row, 1, *key)?;
            sheet.write_string(row, 2, value)?;
        }
    }

    // Số liệu: value first, code last, an extra column, a blank row between figures.
    {
        let sheet = book.add_worksheet().set_name("so lieu")?;
        banner(sheet, "SỐ LIỆU BÁO CÁO", 5)?;
        sheet.write_string(1, 0, "(đơn vị tính theo cột Đơn vị tính)")?;
        for (col, header) in [
            "GIA TRI",
            "Don vi tinh",
            "chi tieu",
            "Ghi chu",
            "Cột thừa",
            "Ma",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(3, col as u16, *header)?;
        }
        for (i, f) in s.figures.iter().enumerate() {
            let row = 4 + 2 * i as u32;
            match i % 3 {
                0 => sheet.write_string(row, 0, grouped(f.value))?,
                1 => sheet.write_string(row, 0, t(&format!("{} {}", grouped(f.value), f.unit)))?,
                _ => sheet.write_formula(
                    row,
                    0,
                    Formula::new(format!("={}+0", f.value)).set_result(f.value.to_string()),
                )?,
            };
            sheet.write_string(row, 1, t(&f.unit))?;
            sheet.write_string(row, 2, t(&f.label))?;
            sheet.write_string(row, 3, t(&f.note))?;
            sheet.write_string(row, 4, "x")?;
            sheet.write_string(row, 5, f.code.to_lowercase().replace('_', " "))?;
        }
    }

    let task_sheet = |book: &mut Workbook, name: &str, tasks: &[(String, String)]| -> Result<()> {
        let sheet = book.add_worksheet().set_name(name)?;
        banner(sheet, "BÁO CÁO THÁNG 11/2025", 2)?;
        for (col, header) in ["Noi dung", "TT", "Linh vuc"].iter().enumerate() {
            sheet.write_string(2, col as u16, *header)?;
        }
        let mut row = 3;
        let mut i = 0;
        while i < tasks.len() {
            // Tasks of one field are consecutive rows under one merged `Lĩnh vực` cell.
            let field = &tasks[i].0;
            let run = tasks[i..]
                .iter()
                .take_while(|(f, _)| f == field && !field.is_empty())
                .count()
                .max(1);
            for (k, (_, content)) in tasks[i..i + run].iter().enumerate() {
                sheet.write_string(row + k as u32, 0, t(content))?;
                sheet.write_number(row + k as u32, 1, (i + k + 1) as f64)?;
            }
            if run > 1 {
                sheet.merge_range(row, 2, row + run as u32 - 1, 2, &t(field), &Format::new())?;
            } else if !field.is_empty() {
                sheet.write_string(row, 2, t(field))?;
            }
            row += run as u32 + 1; // a blank row after each group
            i += run;
        }
        Ok(())
    };
    let pairs = |tasks: &[super::form_a::Task]| -> Vec<(String, String)> {
        tasks
            .iter()
            .map(|t| (t.field.clone(), t.content.clone()))
            .collect()
    };
    task_sheet(&mut book, "Ket qua", &pairs(&s.results))?;
    if !s.shortcomings.is_empty() {
        let shortcomings: Vec<(String, String)> = s
            .shortcomings
            .iter()
            .map(|t| (String::new(), t.content.clone()))
            .collect();
        task_sheet(&mut book, "TON TAI", &shortcomings)?;
    }
    task_sheet(&mut book, "nhiem vu thang sau", &pairs(&s.next_tasks))?;

    if !s.advised.is_empty() {
        let sheet = book.add_worksheet().set_name("Van ban tham muu")?;
        banner(sheet, "VĂN BẢN THAM MƯU", 4)?;
        for (col, header) in [
            "Trich yeu",
            "So, ky hieu",
            "Ngay ban hanh",
            "Co quan ban hanh",
            "STT",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(2, col as u16, *header)?;
        }
        for (i, d) in s.advised.iter().enumerate() {
            let row = 3 + 2 * i as u32;
            sheet.write_string(row, 0, t(&d.summary))?;
            sheet.write_string(row, 1, t(&d.number))?;
            match messy_date(&d.date, i, encoding)? {
                DateCell::Text(text) => sheet.write_string(row, 2, text)?,
                DateCell::Serial(serial) => sheet.write_number(row, 2, serial)?,
            };
            sheet.write_string(row, 3, t(&d.issuer))?;
            sheet.write_number(row, 4, (i + 1) as f64)?;
        }
    }

    if !s.overdue.is_empty() {
        let sheet = book.add_worksheet().set_name("Ho so qua han")?;
        banner(sheet, "HỒ SƠ QUÁ HẠN", 7)?;
        let headers = [
            "Ngay co ket qua",
            "Han xu ly",
            "Ma ho so",
            "Thu tuc",
            "Thoi han giai quyet",
            "Ngay tiep nhan",
            "Ngay hen tra",
            "Ngay tra ket qua",
        ];
        for (col, header) in headers.iter().enumerate() {
            sheet.write_string(2, col as u16, *header)?;
        }
        for (i, d) in s.overdue.iter().enumerate() {
            let row = 4 + 2 * i as u32;
            sheet.write_string(row, 0, messy_datetime(&d.result, i)?)?;
            sheet.write_string(row, 1, messy_datetime(&d.deadline, i + 1)?)?;
            sheet.write_string(row, 2, &d.code)?;
            sheet.write_string(row, 3, t(&d.procedure))?;
            sheet.write_string(row, 4, t(&d.time_limit))?;
            sheet.write_string(row, 5, messy_datetime(&d.received, i)?)?;
            sheet.write_string(row, 6, messy_datetime(&d.appointment, i + 1)?)?;
            sheet.write_string(row, 7, messy_datetime(&d.returned, i)?)?;
        }
    }

    for (name, paragraphs) in [
        ("Danh gia chung", &s.assessment),
        ("Nhiem vu trong tam chung", &s.general_tasks),
    ] {
        if paragraphs.is_empty() {
            continue;
        }
        let sheet = book.add_worksheet().set_name(name)?;
        banner(sheet, "PHẦN VIẾT CỦA VĂN PHÒNG", 2)?;
        for (col, header) in ["Chu thich", "Noi dung", "TT"].iter().enumerate() {
            sheet.write_string(2, col as u16, *header)?;
        }
        for (i, p) in paragraphs.iter().enumerate() {
            let row = 3 + 2 * i as u32;
            sheet.write_string(row, 0, t(&p.footnote))?;
            sheet.write_string(row, 1, t(&p.content))?;
            sheet.write_number(row, 2, (i + 1) as f64)?;
        }
    }

    book.save(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
