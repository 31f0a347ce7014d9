//! A Word table laid out on its grid, as a sheet of cells, so that the annex is read by the
//! same code as a Form B workbook. A merged cell shows its text in every grid cell it covers,
//! as Excel's merged ranges are read (`ingest::workbook`): `Thời gian` over `Bắt đầu |
//! Hoàn thành`, a header cell merged down two rows, a lead unit merged down three tasks
//! (it leads all three), a section row merged across the table.

use super::body::{VerticalMerge, WordTable};
use crate::ingest::table::HEADER_SEARCH_ROWS;
use crate::ingest::{CellValue, ColumnSpec, Sheet};
use crate::text::fold::{fold_key, fold_words};

/// The sheet of a table (`bảng 2`), every grid cell filled.
pub fn table_sheet(name: &str, table: &WordTable, columns: &[ColumnSpec]) -> Sheet {
    let mut rows: Vec<Vec<CellValue>> = Vec::with_capacity(table.rows.len());
    for (index, row) in table.rows.iter().enumerate() {
        let mut cells: Vec<CellValue> = Vec::new();
        for cell in row {
            let col = cells.len();
            let value = match cell.merge {
                VerticalMerge::Continue => index
                    .checked_sub(1)
                    .and_then(|above| rows.get(above))
                    .and_then(|above| above.get(col))
                    .cloned()
                    .unwrap_or(CellValue::Empty),
                VerticalMerge::None | VerticalMerge::Restart => {
                    let text = if index < HEADER_SEARCH_ROWS {
                        header_alias(&cell.text, columns).unwrap_or_else(|| cell.text.clone())
                    } else {
                        cell.text.clone()
                    };
                    if text.trim().is_empty() {
                        CellValue::Empty
                    } else {
                        CellValue::Text(text)
                    }
                }
            };
            for _ in 0..cell.span.max(1) {
                cells.push(value.clone());
            }
        }
        rows.push(cells);
    }
    Sheet::from_rows(name, rows)
}

/// A header typed with a qualifier (`Nhiệm vụ theo KH 354/KH-UBND`, seed 001; `Đơn vị chủ
/// trì (1)`) names the column it starts with. Only a header that names no column as typed is
/// shortened, and only to a column's name or synonym.
fn header_alias(text: &str, columns: &[ColumnSpec]) -> Option<String> {
    let names = || {
        columns
            .iter()
            .flat_map(|c| std::iter::once(c.label).chain(c.synonyms.iter().copied()))
    };
    if text.chars().count() > 80 {
        return None;
    }
    let folded = fold_key(text);
    if names().any(|n| fold_key(n) == folded) {
        return None;
    }
    let before_bracket = text.split('(').next().unwrap_or(text);
    if before_bracket.len() < text.len() {
        let key = fold_key(before_bracket);
        if let Some(name) = names().find(|n| fold_key(n) == key) {
            return Some(name.to_string());
        }
    }
    let words = fold_words(text);
    names()
        .find(|n| {
            let name = fold_words(n);
            ["theo", "cua"].iter().any(|qualifier| {
                words
                    .strip_prefix(name.as_str())
                    .and_then(|rest| rest.strip_prefix(' '))
                    .is_some_and(|rest| rest.starts_with(qualifier))
            })
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::super::body::WordCell;
    use super::*;

    fn cell(text: &str, span: usize, merge: VerticalMerge) -> WordCell {
        WordCell {
            text: text.into(),
            span,
            merge,
        }
    }

    const COLUMNS: &[ColumnSpec] = &[
        ColumnSpec::required("tt", "TT", &["STT"]),
        ColumnSpec::required("content", "Nhiệm vụ", &["Nội dung công việc"]),
        ColumnSpec::optional("time", "Thời gian thực hiện", &["Thời gian"]),
    ];

    #[test]
    fn merged_cells_fill_what_they_cover() {
        let table = WordTable {
            rows: vec![
                vec![
                    cell("TT", 1, VerticalMerge::Restart),
                    cell("Nhiệm vụ theo KH 354/KH-UBND", 1, VerticalMerge::Restart),
                    cell("Thời gian", 2, VerticalMerge::None),
                ],
                vec![
                    cell("", 1, VerticalMerge::Continue),
                    cell("", 1, VerticalMerge::Continue),
                    cell("Bắt đầu", 1, VerticalMerge::None),
                    cell("Hoàn thành", 1, VerticalMerge::None),
                ],
                vec![cell("I. Mục một", 4, VerticalMerge::None)],
            ],
            columns: 4,
            too_wide: false,
        };
        let sheet = table_sheet("bảng 2", &table, COLUMNS);
        let text = |r, c| sheet.cell(r, c).as_text();
        assert_eq!(text(0, 1), "Nhiệm vụ", "qualifier dropped from the header");
        assert_eq!(
            (text(0, 2), text(0, 3)),
            ("Thời gian".into(), "Thời gian".into())
        );
        assert_eq!((text(1, 0), text(1, 1)), ("TT".into(), "Nhiệm vụ".into()));
        assert_eq!(
            (text(2, 0), text(2, 3)),
            ("I. Mục một".into(), "I. Mục một".into())
        );
    }

    #[test]
    fn only_headers_that_name_nothing_are_shortened() {
        assert_eq!(header_alias("Nhiệm vụ", COLUMNS), None);
        assert_eq!(
            header_alias("Nội dung công việc (cụ thể)", COLUMNS),
            Some("Nội dung công việc".into())
        );
        assert_eq!(header_alias("Nhiệm vụ trọng tâm", COLUMNS), None);
    }
}
