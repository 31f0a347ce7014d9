//! Merged cells: a merged range shows one value, the top-left cell's, so every cell of the
//! range reads as that value (a `Lĩnh vực` merged down three task rows applies to all three).
//! calamine gives the ranges of xlsx and xls files; for ODS they are read here from
//! `content.xml` (`table:number-columns-spanned` / `number-rows-spanned`).

use std::collections::HashMap;
use std::io::{BufReader, Cursor};

use calamine::Dimensions;
use quick_xml::events::{BytesStart, Event};

use crate::ingest::budget::WorkbookBudget;
use crate::ingest::guard::GuardError;
use crate::ingest::CellValue;

/// At most this many merged ranges are honoured per sheet; a real form has a handful.
pub const MAX_REGIONS_PER_SHEET: usize = 100_000;

/// At most this many cells are filled per workbook, whatever the ranges claim.
pub const MAX_FILLED_CELLS: usize = 5_000_000;

/// Copies each range's top-left value into the range's other cells, within the rows that
/// exist and no wider than the widest row (the sheet's used range). `budget` counts down the
/// cells still allowed to be filled; each copy (and the room for it) is charged to the
/// workbook's memory budget first, a long text copied into a wide range being no cheaper
/// than typed there.
pub fn fill(
    rows: &mut [Vec<CellValue>],
    regions: &[Dimensions],
    budget: &mut usize,
    memory: &mut WorkbookBudget,
) -> Result<(), GuardError> {
    const CELL: u64 = std::mem::size_of::<CellValue>() as u64;
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for region in regions.iter().take(MAX_REGIONS_PER_SHEET) {
        let (top, left) = (region.start.0 as usize, region.start.1 as usize);
        let bottom = (region.end.0 as usize).min(rows.len().saturating_sub(1));
        let right = (region.end.1 as usize).min(width.saturating_sub(1));
        if top >= rows.len() || left >= width || bottom < top || right < left {
            continue;
        }
        let value = rows[top].get(left).cloned().unwrap_or(CellValue::Empty);
        let heap = match &value {
            CellValue::Text(text) | CellValue::Error(text) => text.len() as u64,
            _ => 0,
        };
        for (index, row) in rows.iter_mut().enumerate().take(bottom + 1).skip(top) {
            for col in left..=right {
                if (index, col) == (top, left) {
                    continue;
                }
                if *budget == 0 {
                    return Ok(());
                }
                if col >= row.len() {
                    if value == CellValue::Empty {
                        continue;
                    }
                    let added = (col + 1).saturating_sub(row.capacity()) as u64;
                    memory.charge(2 * added * CELL)?;
                    row.resize(col + 1, CellValue::Empty);
                }
                memory.charge(heap)?;
                row[col] = value.clone();
                *budget -= 1;
            }
        }
    }
    Ok(())
}

/// True when a cell is hidden under a merged range (inside it, but not its top-left cell).
pub fn is_covered(regions: &[Dimensions], row: usize, col: usize) -> bool {
    regions.iter().take(MAX_REGIONS_PER_SHEET).any(|r| {
        r.contains(row as u32, col as u32) && (r.start.0 as usize, r.start.1 as usize) != (row, col)
    })
}

/// The merged ranges of every sheet of an ODS package, by sheet name. A package whose
/// `content.xml` cannot be read gives no ranges (calamine then reports the damage).
pub fn ods_regions(bytes: &[u8]) -> HashMap<String, Vec<Dimensions>> {
    let mut regions = HashMap::new();
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return regions;
    };
    let Ok(content) = archive.by_name("content.xml") else {
        return regions;
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut walk = OdsWalk::default();
    loop {
        let event = xml.read_event_into(&mut buf);
        match event {
            Ok(Event::Start(e)) => walk.open(&e, false, &mut regions),
            Ok(Event::Empty(e)) => walk.open(&e, true, &mut regions),
            Ok(Event::End(e)) => walk.close(e.local_name().as_ref()),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    regions
}

/// Where the walk through `content.xml` is: the sheet, the row and column of the next cell,
/// and how deep inside a cell's content (whose nested elements are not the sheet's).
#[derive(Default)]
struct OdsWalk {
    sheet: Option<String>,
    row: u32,
    col: u32,
    row_repeat: u32,
    inside_cell: usize,
}

impl OdsWalk {
    fn open(
        &mut self,
        e: &BytesStart,
        empty: bool,
        regions: &mut HashMap<String, Vec<Dimensions>>,
    ) {
        if self.inside_cell > 0 {
            if !empty {
                self.inside_cell += 1;
            }
            return;
        }
        match e.local_name().as_ref() {
            "table" => {
                self.sheet = attribute(e, "name");
                self.row = 0;
                if empty {
                    self.sheet = None;
                }
            }
            "table-row" => {
                self.col = 0;
                self.row_repeat = number(e, "number-rows-repeated").max(1);
                if empty {
                    self.row = self.row.saturating_add(self.row_repeat);
                }
            }
            name @ ("table-cell" | "covered-table-cell") => {
                let columns = number(e, "number-columns-spanned").max(1);
                let rows = number(e, "number-rows-spanned").max(1);
                if name == "table-cell" && (columns > 1 || rows > 1) {
                    if let Some(sheet) = &self.sheet {
                        let list = regions.entry(sheet.clone()).or_default();
                        if list.len() < MAX_REGIONS_PER_SHEET {
                            list.push(Dimensions::new(
                                (self.row, self.col),
                                (
                                    self.row.saturating_add(rows - 1),
                                    self.col.saturating_add(columns - 1),
                                ),
                            ));
                        }
                    }
                }
                self.col = self
                    .col
                    .saturating_add(number(e, "number-columns-repeated").max(1));
                if !empty {
                    self.inside_cell = 1;
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        if self.inside_cell > 0 {
            self.inside_cell -= 1;
            return;
        }
        match name {
            "table" => self.sheet = None,
            "table-row" => self.row = self.row.saturating_add(self.row_repeat.max(1)),
            _ => {}
        }
    }
}

fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::default())
                .ok()
                .map(|v| v.into_owned())
        })
}

fn number(e: &BytesStart, name: &str) -> u32 {
    attribute(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    #[test]
    fn a_merged_value_applies_to_every_cell_of_its_range() {
        let mut rows = vec![
            vec![t("BANNER")],
            vec![t("STT"), t("Lĩnh vực"), t("Nội dung")],
            vec![CellValue::Number(1.0), t("GDTX"), t("a")],
            vec![CellValue::Number(2.0), CellValue::Empty, t("b")],
            vec![CellValue::Number(3.0)],
        ];
        let regions = [
            Dimensions::new((0, 0), (0, 2)),
            Dimensions::new((2, 1), (4, 1)),
        ];
        let mut budget = MAX_FILLED_CELLS;
        fill(&mut rows, &regions, &mut budget, &mut memory()).expect("fits");
        assert_eq!(rows[0], vec![t("BANNER"), t("BANNER"), t("BANNER")]);
        assert_eq!(rows[3][1], t("GDTX"));
        assert_eq!(rows[4][1], t("GDTX"), "a short row is extended");
        assert_eq!(budget, MAX_FILLED_CELLS - 4);
        assert!(is_covered(&regions, 3, 1));
        assert!(
            !is_covered(&regions, 2, 1),
            "the top-left cell is the value's own"
        );
    }

    #[test]
    fn ranges_beyond_the_used_area_fill_nothing_there() {
        let mut rows = vec![vec![t("x"), t("y")]];
        let regions = [Dimensions::new((0, 0), (1_048_575, 16_383))];
        let mut budget = 10;
        fill(&mut rows, &regions, &mut budget, &mut memory()).expect("fits");
        assert_eq!(rows, vec![vec![t("x"), t("x")]]);
        assert_eq!(budget, 9);
    }

    #[test]
    fn the_fill_budget_is_a_hard_limit() {
        let mut rows = vec![vec![t("x"), CellValue::Empty, CellValue::Empty]; 3];
        let mut budget = 2;
        fill(
            &mut rows,
            &[Dimensions::new((0, 0), (2, 2))],
            &mut budget,
            &mut memory(),
        )
        .expect("fits");
        assert_eq!(budget, 0);
        assert_eq!(rows[0], vec![t("x"), t("x"), t("x")]);
        assert_eq!(rows[1][1], CellValue::Empty);
    }

    fn memory() -> WorkbookBudget {
        WorkbookBudget::new(&crate::ingest::Limits::default())
    }

    #[test]
    fn a_long_text_copied_into_a_wide_range_is_charged_to_the_workbook() {
        // One 1 MB text merged over 100 rows × 2 columns: 200 MB of copies, over 64 MB.
        let long = "x".repeat(1024 * 1024);
        let mut rows = vec![vec![t(&long), CellValue::Empty]; 100];
        let mut budget = MAX_FILLED_CELLS;
        let refused = fill(
            &mut rows,
            &[Dimensions::new((0, 0), (99, 1))],
            &mut budget,
            &mut memory(),
        )
        .expect_err("over budget");
        assert!(
            matches!(refused, GuardError::OverBudget { limit: 64, .. }),
            "{refused:?}"
        );
    }
}
