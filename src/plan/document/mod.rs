//! Plans as a department writes them: the KẾ HOẠCH as a Word document, its annex ("DANH MỤC
//! CÁC NHIỆM VỤ", "PHÂN CÔNG NHIỆM VỤ") a Word table (seeds 001, 003, 004). Read into the
//! same [`Plan`](crate::plan::Plan) as a Form B workbook, so that a plan typed in Word and
//! the same plan typed in Form B give the same annex, Form C workbooks and progress.
//!
//! [`body`] reads the .docx (guarded); [`grid`] lays each table on its grid, merged cells
//! filled like Excel's; the task tables are read by Form B's own reader
//! ([`TaskReader`](crate::plan::form_b::TaskReader)), with places named `bảng 2 › dòng 7 ›
//! Đơn vị chủ trì` since Word shows no cell addresses; [`info`] reads the plan's number,
//! date, issuer, name and basis from the body; [`legacy`] turns a .doc into a .docx with
//! LibreOffice. Unlike a workbook, where any error rejects the plan, a Word annex row that
//! cannot be read is left out with its message and the rest of the plan is used.

pub mod body;
mod contain;
mod grid;
mod info;
pub mod legacy;

pub use body::{read_body, Body, DocumentError};

use super::form_b::{Places, PlanOutcome, TaskReader, TASK_COLUMNS};
use super::model::Plan;
use crate::config::UnitDirectory;
use crate::ingest::TableView;
use crate::validate::{Location, Message, Severity};

/// Whether a file name is a Word document baocao reads as a plan (`.docx`, `.doc`).
pub fn is_word_file(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("docx") || e.eq_ignore_ascii_case("doc"))
}

/// How close a table comes to an assignment table: the required columns it lacks and the
/// row that came nearest.
struct NearMiss {
    table: usize,
    row: usize,
    missing: Vec<&'static str>,
}

/// Whether a document is meant as a plan: it holds an assignment table, or a table with
/// the lead units' column that lacks one other required column (a typo in a header
/// deserves a message, not silence). A note or a letter dropped in the input folder is not.
pub fn is_plan(body: &Body) -> bool {
    body.tables().any(|(index, table)| {
        if table.too_wide {
            return false;
        }
        let sheet = grid::table_sheet(&format!("bảng {index}"), table, TASK_COLUMNS);
        match TableView::locate(&sheet, TASK_COLUMNS) {
            Ok(_) => true,
            // One column short, the lead units' column being there: a plan with a typo.
            Err(missing) => {
                missing.nearest_row.is_some()
                    && missing.missing.len() <= 1
                    && !missing.missing.contains(&"Đơn vị chủ trì")
            }
        }
    })
}

/// Reads a plan from a Word document's body. `file` names it in messages.
pub fn parse_plan_document(body: &Body, file: &str, directory: &UnitDirectory) -> PlanOutcome {
    let mut messages = Vec::new();
    let mut row_messages = Vec::new();
    let mut reader = TaskReader::new(file, directory).dropping_bad_rows();
    let mut task_tables = Vec::new();
    let mut nearest: Option<NearMiss> = None;
    for (index, table) in body.tables() {
        let name = format!("bảng {index}");
        if table.too_wide {
            messages.push(Message::notice(
                "bang-qua-rong",
                Location::sheet(file, &name),
                format!(
                    "Bảng có hơn {} cột, không phải bảng phân công nhiệm vụ; bỏ qua",
                    body::MAX_TABLE_COLUMNS
                ),
            ));
            continue;
        }
        let sheet = grid::table_sheet(&name, table, TASK_COLUMNS);
        match TableView::locate(&sheet, TASK_COLUMNS) {
            Ok(view) => {
                reader.read_table(&view, &name, Places::Rows, &mut row_messages);
                task_tables.push(index);
            }
            Err(missing) => {
                if let Some(row) = missing.nearest_row {
                    let closer = nearest
                        .as_ref()
                        .is_none_or(|n| missing.missing.len() < n.missing.len());
                    if closer {
                        nearest = Some(NearMiss {
                            table: index,
                            row,
                            missing: missing.missing,
                        });
                    }
                }
            }
        }
    }
    let found_tasks = reader.task_count() > 0;
    let (sections, tasks) = if task_tables.is_empty() {
        messages.push(no_task_table(file, nearest));
        (Vec::new(), Vec::new())
    } else if !found_tasks && !row_messages.is_empty() {
        // Every row had an error: say so once; the rows' own messages follow.
        messages.push(Message::error(
            "khong-co-nhiem-vu",
            Location::file(file),
            "Không đọc được nhiệm vụ nào trong bảng phân công (xem các lỗi theo dòng)",
        ));
        (Vec::new(), Vec::new())
    } else {
        reader.finish(Location::file(file), &mut messages)
    };
    let (info, missing) = info::read_info(body, &task_tables);
    if !missing.is_empty() {
        let list = missing
            .iter()
            .map(|f| format!("«{f}»"))
            .collect::<Vec<_>>()
            .join(", ");
        messages.push(Message::warning(
            "thieu-thong-tin-van-ban",
            Location::file(file),
            format!(
                "Không thấy trong văn bản: {list}; phụ lục vẫn được lập, để trống các thông tin này"
            ),
        ));
    }
    let rejected = messages.iter().any(|m| m.severity == Severity::Error);
    messages.extend(row_messages);
    let plan = (!rejected && !tasks.is_empty()).then(|| Plan {
        source: file.to_string(),
        info,
        sections,
        tasks,
    });
    PlanOutcome { plan, messages }
}

/// The message for a document without an assignment table: at the table that came closest,
/// naming the columns it lacks, or at the file.
fn no_task_table(file: &str, nearest: Option<NearMiss>) -> Message {
    match nearest.filter(|n| n.missing.len() < 3) {
        Some(near) => {
            let list = near
                .missing
                .iter()
                .map(|c| format!("«{c}»"))
                .collect::<Vec<_>>()
                .join(", ");
            Message::error(
                "thieu-cot",
                Location::cell(
                    file,
                    format!("bảng {}", near.table),
                    format!("dòng {}", near.row + 1),
                ),
                format!(
                    "Không tìm thấy cột {list} trong 15 dòng đầu của bảng; bảng phân công nhiệm vụ cần các cột TT, Nhiệm vụ và Đơn vị chủ trì"
                ),
            )
        }
        None => Message::error(
            "khong-co-bang-nhiem-vu",
            Location::file(file),
            "Văn bản không có bảng phân công nhiệm vụ (bảng có các cột TT, Nhiệm vụ, Đơn vị chủ trì)",
        ),
    }
}

/// Reads a Word plan file: a .docx directly, a .doc (Word 97–2003) through LibreOffice.
/// `name` names the file in LibreOffice's messages.
pub fn read_word(
    name: &str,
    bytes: &[u8],
    limits: &crate::ingest::Limits,
    libreoffice: &crate::render::pdf::LibreOfficeSettings,
) -> Result<Body, DocumentError> {
    match read_body(bytes, limits) {
        Err(DocumentError::LegacyWord) => {
            if bytes.len() as u64 > limits.max_file_bytes {
                return Err(DocumentError::Refused(
                    crate::ingest::guard::GuardError::FileTooLarge {
                        size: (bytes.len() as u64).div_ceil(1024 * 1024),
                        limit: limits.max_file_bytes.div_ceil(1024 * 1024),
                    },
                ));
            }
            let converted = legacy::doc_to_docx(name, bytes, libreoffice)?;
            read_body(&converted, limits)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::body::{Block, VerticalMerge, WordCell, WordTable};
    use super::*;
    use crate::config::{Config, BUILTIN_CONFIG};
    use crate::vn::Period;

    fn cell(text: &str, span: usize, merge: VerticalMerge) -> WordCell {
        WordCell {
            text: text.into(),
            span,
            merge,
        }
    }

    fn row(texts: &[&str]) -> Vec<WordCell> {
        texts
            .iter()
            .map(|t| cell(t, 1, VerticalMerge::None))
            .collect()
    }

    fn directory() -> UnitDirectory {
        Config::from_toml(BUILTIN_CONFIG)
            .expect("shipped config")
            .directory()
    }

    #[test]
    fn header_synonyms_merged_sections_leads_and_spread_times() {
        let table = WordTable {
            rows: vec![
                row(&[
                    "STT",
                    "Nội dung công việc",
                    "Chủ trì",
                    "Kết quả/sản phẩm",
                    "Bắt đầu",
                    "Hoàn thành",
                ]),
                vec![cell("I. Chuyển đổi số", 6, VerticalMerge::None)],
                vec![
                    cell("1", 1, VerticalMerge::None),
                    cell("Việc một", 1, VerticalMerge::None),
                    cell("Văn phòng", 1, VerticalMerge::Restart),
                    cell("Báo cáo", 1, VerticalMerge::None),
                    cell("Thường xuyên", 2, VerticalMerge::None),
                ],
                vec![
                    cell("2", 1, VerticalMerge::None),
                    cell("Việc hai", 1, VerticalMerge::None),
                    cell("", 1, VerticalMerge::Continue),
                    cell("", 1, VerticalMerge::None),
                    cell("T9/2025", 1, VerticalMerge::None),
                    cell("Tháng 12/2025", 1, VerticalMerge::None),
                ],
            ],
            columns: 6,
            too_wide: false,
        };
        let body = Body {
            blocks: vec![Block::Paragraph("KẾ HOẠCH".into()), Block::Table(table)],
        };
        assert!(is_plan(&body));
        let outcome = parse_plan_document(&body, "KH.docx", &directory());
        let plan = outcome.plan.expect("plan read");
        assert_eq!(plan.sections.len(), 1);
        assert_eq!(plan.sections[0].heading, "I. Chuyển đổi số");
        assert_eq!(plan.tasks.len(), 2);
        let (first, second) = (&plan.tasks[0], &plan.tasks[1]);
        assert_eq!(first.result, "Báo cáo");
        assert_eq!(
            first.time_text, "Thường xuyên",
            "spread over both month columns"
        );
        assert_eq!((first.start, first.end), (None, None));
        assert_eq!(second.leads, first.leads, "the lead merged down leads both");
        assert_eq!(
            (second.start, second.end),
            (Period::new(2025, 9), Period::new(2025, 12))
        );
        assert_eq!(first.cell, "bảng 1 › dòng 3");
    }

    #[test]
    fn a_document_without_a_task_table_is_no_plan() {
        let letter = Body {
            blocks: vec![
                Block::Paragraph("Kính gửi các phòng".into()),
                Block::Table(WordTable {
                    rows: vec![row(&["TT", "Nội dung", "Ghi chú"]), row(&["1", "Họp", ""])],
                    columns: 3,
                    too_wide: false,
                }),
            ],
        };
        assert!(!is_plan(&letter));
        let outcome = parse_plan_document(&letter, "CV.docx", &directory());
        assert!(outcome.plan.is_none());
        assert!(outcome.messages.iter().any(|m| m.code == "thieu-cot"));
        let typo = Body {
            blocks: vec![Block::Table(WordTable {
                rows: vec![row(&["TT", "Nhiem vu chinh", "Đơn vị chủ trì"])],
                columns: 3,
                too_wide: false,
            })],
        };
        assert!(
            is_plan(&typo),
            "one column short, with the lead units: meant as a plan"
        );
        let outcome = parse_plan_document(&typo, "KH.docx", &directory());
        let message = outcome
            .messages
            .iter()
            .find(|m| m.code == "thieu-cot")
            .expect("the missing column named");
        assert_eq!(message.location.to_string(), "KH.docx › bảng 1 › dòng 1");
        assert!(message.text.contains("«Nhiệm vụ»"), "{}", message.text);
    }
}
