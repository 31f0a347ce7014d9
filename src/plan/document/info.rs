//! A plan's identity read from the body of its Word document, the way Nghị định 30/2020
//! lays a document out: the letterhead (issuing body, `Số: 12/KH-SGDĐT`), the place and date
//! line (`Hải Phòng, ngày 15 tháng 01 năm 2026`), `KẾ HOẠCH` and the summary lines under it,
//! the opening `Thực hiện …` / `Căn cứ …`, and the annex's own title above its table.
//! Whatever is not found is left empty and named, never guessed.

use chrono::NaiveDate;

use super::body::{Block, Body};
use crate::plan::model::{IssueDate, PlanInfo};
use crate::text::fold::{fold_key, fold_words};
use crate::vn::Period;

/// The fields of `PlanInfo` as Form B names them, for the message about missing ones.
pub const NUMBER: &str = "Số, ký hiệu";
pub const ISSUED_ON: &str = "Ngày ban hành";
pub const ISSUER: &str = "Cơ quan ban hành";
pub const NAME: &str = "Tên kế hoạch";
pub const BASIS: &str = "Căn cứ";

/// Reads the plan's information; returns it with the names of the fields not found.
/// `task_tables` are the annex tables (1-based), whose text is data, not letterhead.
pub fn read_info(body: &Body, task_tables: &[usize]) -> (PlanInfo, Vec<&'static str>) {
    let lines: Vec<String> = body
        .lines(|table| task_tables.contains(&table))
        .into_iter()
        .map(|l| l.trim().to_string())
        .collect();
    let title = lines.iter().position(|l| is_plan_title(l));
    let head_end = title.unwrap_or(lines.len().min(30));
    let number_line = lines[..head_end]
        .iter()
        .position(|l| number_of(l).is_some());
    let number = number_line
        .and_then(|i| number_of(&lines[i]))
        .unwrap_or_default();
    let issued_on = lines[..head_end]
        .iter()
        .find_map(|l| date_of(l))
        .unwrap_or_default();
    // The letterhead stands above `Số:` or, without it, above `KẾ HOẠCH`; without either
    // there is none to read.
    let issuer = number_line
        .or(title)
        .map(|end| issuer_of(&lines[..end]))
        .unwrap_or_default();
    let (name, after_name) = match title {
        Some(t) => name_after(&lines, t),
        None => (String::new(), 0),
    };
    let basis = basis_of(&lines[after_name..]);
    let annex_title = task_tables
        .first()
        .map(|&t| annex_title_above(body, t))
        .unwrap_or_default();
    let info = PlanInfo {
        number,
        issued_on,
        name,
        issuer,
        basis,
        annex_title,
    };
    let mut missing = Vec::new();
    for (field, empty) in [
        (NUMBER, info.number.is_empty()),
        (ISSUED_ON, info.issued_on == IssueDate::Unknown),
        (ISSUER, info.issuer.is_empty()),
        (NAME, info.name.is_empty()),
        (BASIS, info.basis.is_empty()),
    ] {
        if empty {
            missing.push(field);
        }
    }
    (info, missing)
}

/// `KẾ HOẠCH` alone on its line (the document's kind, above its summary).
fn is_plan_title(line: &str) -> bool {
    fold_words(line) == "ke hoach" && !line.chars().any(char::is_lowercase)
}

/// Spaces collapsed, ends trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Số: 12/KH-SGDĐT` → `12/KH-SGDĐT`; `Số:        /KH-SGDĐT` (not yet numbered) →
/// `/KH-SGDĐT`.
fn number_of(line: &str) -> Option<String> {
    let (head, rest) = line.split_once(':')?;
    if fold_key(head) != "so" {
        return None;
    }
    let tokens: Vec<&str> = rest.split_whitespace().collect();
    let at = tokens.iter().position(|t| t.contains('/'))?;
    let mut number = String::new();
    if at > 0 && tokens[at - 1].chars().all(|c| c.is_ascii_digit()) {
        number.push_str(tokens[at - 1]);
    }
    number.push_str(tokens[at]);
    Some(number)
}

/// The date line: `Hải Phòng, ngày 15 tháng 01 năm 2026` is that day; with the day blank
/// (`ngày      tháng 01 năm 2026`) the month; with only the year, the words as a draft has
/// them.
fn date_of(line: &str) -> Option<IssueDate> {
    let folded = fold_words(line);
    let words: Vec<&str> = folded.split(' ').collect();
    let day_at = words.iter().position(|w| *w == "ngay")?;
    let month_at = day_at + 1 + words[day_at + 1..].iter().position(|w| *w == "thang")?;
    let year_at = month_at + 1 + words[month_at + 1..].iter().position(|w| *w == "nam")?;
    let year: i32 = words
        .get(year_at + 1)
        .filter(|y| y.len() == 4)
        .and_then(|y| y.parse().ok())?;
    let number = |from: usize, to: usize| -> Option<u32> {
        match &words[from + 1..to] {
            [n] => n.parse().ok(),
            _ => None,
        }
    };
    let day = number(day_at, month_at);
    let month = number(month_at, year_at);
    Some(match (day, month) {
        (Some(d), Some(m)) => match NaiveDate::from_ymd_opt(year, m, d) {
            Some(date) => IssueDate::Day(date),
            None => IssueDate::Text(format!("ngày {d} tháng {m} năm {year}")),
        },
        (None, Some(m)) => match Period::new(year, m) {
            Some(period) => IssueDate::Month(period),
            None => IssueDate::Text(format!("ngày      tháng {m} năm {year}")),
        },
        _ => IssueDate::Text(format!("ngày      tháng      năm {year}")),
    })
}

/// The motto lines beside the letterhead.
fn is_motto(line: &str) -> bool {
    let folded = fold_words(line);
    folded.starts_with("cong hoa xa hoi chu nghia") || folded.starts_with("doc lap tu do")
}

/// The issuing body: the letterhead's last line above `Số:` (the line above it names the
/// body it belongs to), as written: in capitals, as a letterhead has it.
fn issuer_of(head: &[String]) -> String {
    head.iter()
        .rev()
        .find(|l| {
            l.chars().any(char::is_alphabetic)
                && !is_motto(l)
                && date_of(l).is_none()
                && !l.starts_with('(')
        })
        .map(|l| collapse(l))
        .unwrap_or_default()
}

/// The summary lines under `KẾ HOẠCH`, up to a blank line, the opening `Thực hiện …`, a
/// numbered heading or a rule; returns them joined and the index of the line after them.
fn name_after(lines: &[String], title: usize) -> (String, usize) {
    let mut parts: Vec<&str> = Vec::new();
    let mut at = title + 1;
    while at < lines.len() && parts.len() < 6 {
        let line = lines[at].as_str();
        let is_rule = !line.is_empty() && !line.chars().any(char::is_alphanumeric);
        if line.is_empty() || is_rule {
            if !parts.is_empty() {
                break;
            }
            at += 1;
            continue;
        }
        // The summary may itself begin `Triển khai …`; only a later such line ends it.
        if (!parts.is_empty() && is_basis(line)) || roman_heading(line) {
            break;
        }
        parts.push(line);
        at += 1;
    }
    (collapse(&parts.join(" ")), at)
}

/// An opening `Thực hiện …` / `Căn cứ …` / `Triển khai …` sentence (not a title in
/// capitals that happens to start the same way).
fn is_basis(line: &str) -> bool {
    if !line.chars().any(char::is_lowercase) {
        return false;
    }
    let folded = fold_words(line);
    ["thuc hien ", "can cu ", "trien khai "]
        .iter()
        .any(|v| folded.starts_with(v))
}

fn roman_heading(line: &str) -> bool {
    let head: String = line.chars().take_while(|c| "IVXLC".contains(*c)).collect();
    !head.is_empty() && line[head.len()..].starts_with(['.', ')'])
}

/// The first `Thực hiện …` / `Căn cứ …` that names a document (`… số …`), else the first
/// one; its first sentence.
fn basis_of(lines: &[String]) -> String {
    let candidates: Vec<&String> = lines.iter().take(40).filter(|l| is_basis(l)).collect();
    let Some(line) = candidates
        .iter()
        .find(|l| fold_words(l).contains(" so "))
        .or(candidates.first())
    else {
        return String::new();
    };
    let mut end = line.len();
    for (i, _) in line.match_indices(". ") {
        if line[i + 2..].starts_with(char::is_uppercase) {
            end = i;
            break;
        }
    }
    collapse(line[..end].trim_end_matches([':', ';', ',', '.']))
}

/// The annex's own title: the nearest lines in capitals above its first table (`DANH MỤC
/// CÁC NHIỆM VỤ`), skipping the lines under it (`Thực hiện …`, `(Kèm theo …)`).
fn annex_title_above(body: &Body, table: usize) -> String {
    let mut seen_tables = 0;
    let mut position = None;
    for (i, block) in body.blocks.iter().enumerate() {
        if let Block::Table(_) = block {
            seen_tables += 1;
            if seen_tables == table {
                position = Some(i);
                break;
            }
        }
    }
    let Some(position) = position else {
        return String::new();
    };
    let mut title: Vec<String> = Vec::new();
    for block in body.blocks[..position].iter().rev().take(20) {
        let Block::Paragraph(text) = block else { break };
        let line = collapse(text);
        let capitals = line.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && !line.chars().any(char::is_lowercase);
        if capitals && !line.starts_with('(') {
            let folded = fold_words(&line);
            if is_plan_title(&line) || folded.starts_with("phu luc") || is_motto(&line) {
                break;
            }
            title.push(line);
        } else if !title.is_empty() {
            break;
        }
    }
    title.reverse();
    title.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(lines: &[&str]) -> Body {
        Body {
            blocks: lines
                .iter()
                .map(|l| Block::Paragraph(l.to_string()))
                .collect(),
        }
    }

    #[test]
    fn seed_001_header_as_typed() {
        let doc = body(&[
            "UBND THÀNH PHỐ HẢI PHÒNG",
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
            "",
            "Số:           /KH-SGDĐT",
            "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Hải Phòng, ngày         tháng         năm 2026",
            "KẾ HOẠCH",
            "Tổ chức thực hiện ý kiến của Thường trực Thành ủy tại",
            "Hội nghị gặp gỡ, đối thoại",
            "",
            "Thực hiện Kế hoạch số 354/KH-UBND ngày 30/12/2025 của UBND thành phố về việc triển khai. Sở Giáo dục và Đào tạo ban hành Kế hoạch như sau:",
            "I. MỤC ĐÍCH, YÊU CẦU",
        ]);
        let (info, missing) = read_info(&doc, &[]);
        assert_eq!(info.number, "/KH-SGDĐT");
        assert_eq!(
            info.issued_on,
            IssueDate::Text("ngày      tháng      năm 2026".into())
        );
        assert_eq!(
            info.name,
            "Tổ chức thực hiện ý kiến của Thường trực Thành ủy tại Hội nghị gặp gỡ, đối thoại"
        );
        assert_eq!(
            info.basis,
            "Thực hiện Kế hoạch số 354/KH-UBND ngày 30/12/2025 của UBND thành phố về việc triển khai"
        );
        assert_eq!(info.issuer, "SỞ GIÁO DỤC VÀ ĐÀO TẠO");
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn dates_numbers_and_what_is_missing() {
        assert_eq!(
            date_of("Hải Phòng, ngày 15 tháng 01 năm 2026"),
            NaiveDate::from_ymd_opt(2026, 1, 15).map(IssueDate::Day)
        );
        assert_eq!(
            date_of("Hai Phong, ngay    thang 9 nam 2024"),
            Period::new(2024, 9).map(IssueDate::Month)
        );
        assert_eq!(date_of("Nhiệm vụ năm học"), None);
        assert_eq!(number_of("Số: 12/KH-SGDĐT"), Some("12/KH-SGDĐT".into()));
        assert_eq!(number_of("Số: 12 /KH-UBND"), Some("12/KH-UBND".into()));
        assert_eq!(number_of("Số lượng: 12"), None);
        let (_, missing) = read_info(&body(&["KẾ HOẠCH", "Năm học mới"]), &[]);
        assert_eq!(missing, [NUMBER, ISSUED_ON, ISSUER, BASIS]);
    }
}
