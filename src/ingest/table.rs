//! Finding a table inside a sheet: the header row is the first of the first 15 rows that
//! holds every required header (titles and banners above it are ignored); columns may come in
//! any order, may be named with synonyms, and extra columns are ignored.

use super::cell::CellValue;
use super::workbook::Sheet;
use crate::text::{fold_key, folds_to};

/// How far down a sheet the header row may be.
pub const HEADER_SEARCH_ROWS: usize = 15;

/// A column the reader looks for.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    /// Internal key, used by the form parser.
    pub key: &'static str,
    /// The header as the form prints it, used in messages.
    pub label: &'static str,
    /// Other headers people use for the same column.
    pub synonyms: &'static [&'static str],
    pub required: bool,
}

impl ColumnSpec {
    /// A required column.
    pub const fn required(
        key: &'static str,
        label: &'static str,
        synonyms: &'static [&'static str],
    ) -> Self {
        Self {
            key,
            label,
            synonyms,
            required: true,
        }
    }

    /// An optional column.
    pub const fn optional(
        key: &'static str,
        label: &'static str,
        synonyms: &'static [&'static str],
    ) -> Self {
        Self {
            key,
            label,
            synonyms,
            required: false,
        }
    }

    /// Whether a header cell, folded ([`fold_key`]), names this column: its label or a
    /// synonym folds to the same key. Compared as they are folded, without making the folded
    /// names: a table is located in every workbook of a run, cell by cell.
    fn is_named(&self, header: &str) -> bool {
        std::iter::once(self.label)
            .chain(self.synonyms.iter().copied())
            .any(|name| folds_to(name, header))
    }
}

/// Each found column's key and position: a handful, looked up by key.
type Columns = Vec<(&'static str, usize)>;

/// A located table: the header row and where each known column is.
#[derive(Debug)]
pub struct TableView<'a> {
    pub sheet: &'a Sheet,
    pub header_row: usize,
    columns: Columns,
}

/// The required columns that no row in the search window held, for the error message.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingColumns {
    pub missing: Vec<&'static str>,
    /// The row that came closest (zero-based), so the message can point at it.
    pub nearest_row: Option<usize>,
}

impl<'a> TableView<'a> {
    /// Locates the table described by `specs` in `sheet`.
    pub fn locate(sheet: &'a Sheet, specs: &[ColumnSpec]) -> Result<Self, MissingColumns> {
        let mut best: Option<(usize, usize, Columns)> = None;
        let has = |columns: &[(&str, usize)], key: &str| columns.iter().any(|(k, _)| *k == key);
        for row in 0..sheet.row_count().min(HEADER_SEARCH_ROWS) {
            let mut columns: Columns = Vec::new();
            for col in 0..sheet.row_len(row) {
                let header = fold_key(&sheet.cell(row, col).as_text());
                if header.is_empty() {
                    continue;
                }
                if let Some(spec) = specs.iter().find(|spec| spec.is_named(&header)) {
                    if !has(&columns, spec.key) {
                        columns.push((spec.key, col));
                    }
                }
            }
            let found_required = specs
                .iter()
                .filter(|s| s.required && has(&columns, s.key))
                .count();
            let all_required = specs.iter().filter(|s| s.required).count();
            if found_required == all_required && !columns.is_empty() {
                return Ok(Self {
                    sheet,
                    header_row: row,
                    columns,
                });
            }
            if best.as_ref().is_none_or(|(n, _, _)| columns.len() > *n) && !columns.is_empty() {
                best = Some((columns.len(), row, columns));
            }
        }
        let (nearest_row, found) = match best {
            Some((_, row, columns)) => (Some(row), columns),
            None => (None, Vec::new()),
        };
        Err(MissingColumns {
            missing: specs
                .iter()
                .filter(|s| s.required && !has(&found, s.key))
                .map(|s| s.label)
                .collect(),
            nearest_row,
        })
    }

    /// Whether an optional column is present.
    pub fn has(&self, key: &str) -> bool {
        self.columns.iter().any(|(k, _)| *k == key)
    }

    /// The zero-based column of a key.
    pub fn column(&self, key: &str) -> Option<usize> {
        self.columns
            .iter()
            .find(|(k, _)| *k == key)
            .map(|&(_, col)| col)
    }

    /// The data rows below the header, skipping rows blank in every known column.
    pub fn data_rows(&self) -> impl Iterator<Item = usize> + '_ {
        (self.header_row + 1..self.sheet.row_count()).filter(move |&row| {
            self.columns
                .iter()
                .any(|&(_, col)| !self.sheet.cell(row, col).is_blank())
        })
    }

    /// The cell of a key in a row (`Empty` when the column is absent).
    pub fn cell(&self, row: usize, key: &str) -> &CellValue {
        match self.column(key) {
            Some(col) => self.sheet.cell(row, col),
            None => &CellValue::Empty,
        }
    }

    /// The address of a key's cell in a row, or of the row's first cell if the column is absent.
    pub fn address(&self, row: usize, key: &str) -> String {
        self.sheet.address(row, self.column(key).unwrap_or(0))
    }

    /// The text of a key's cell, trimmed, NFC.
    pub fn text(&self, row: usize, key: &str) -> String {
        self.cell(row, key).as_text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    const SPECS: &[ColumnSpec] = &[
        ColumnSpec::required("code", "Mã", &["Mã chỉ tiêu"]),
        ColumnSpec::required("value", "Giá trị", &["Số liệu", "Số lượng"]),
        ColumnSpec::optional("note", "Ghi chú", &[]),
    ];

    #[test]
    fn header_below_banners_in_any_order_with_synonyms() {
        let sheet = Sheet::from_rows(
            "Số liệu",
            vec![
                vec![t("BÁO CÁO SỐ LIỆU THÁNG 11/2025")],
                vec![],
                vec![t("Ghi chu"), t("SO LUONG"), t("Cột thừa"), t("ma")],
                vec![t(""), CellValue::Number(5.0), t("x"), t("VB_DEN")],
                vec![],
                vec![t(""), CellValue::Number(7.0), t(""), t("VB_DI")],
            ],
        );
        let table = TableView::locate(&sheet, SPECS).expect("table found");
        assert_eq!(table.header_row, 2);
        assert_eq!(table.column("code"), Some(3));
        assert_eq!(table.column("value"), Some(1));
        let rows: Vec<usize> = table.data_rows().collect();
        assert_eq!(
            rows,
            [3, 5],
            "blank row 4 skipped, reading goes on after it"
        );
        assert_eq!(table.address(5, "value"), "B6");
    }

    #[test]
    fn missing_required_columns_are_named() {
        let sheet = Sheet::from_rows("Số liệu", vec![vec![t("Mã"), t("Chỉ tiêu")]]);
        let missing = TableView::locate(&sheet, SPECS).expect_err("no value column");
        assert_eq!(missing.missing, ["Giá trị"]);
        assert_eq!(missing.nearest_row, Some(0));
    }

    #[test]
    fn headers_below_row_15_are_not_searched() {
        let mut rows = vec![vec![]; 15];
        rows.push(vec![t("Mã"), t("Giá trị")]);
        let sheet = Sheet::from_rows("Số liệu", rows);
        assert!(TableView::locate(&sheet, SPECS).is_err());
    }
}
