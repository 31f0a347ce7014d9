//! The `.xls` counterpart of the sheet-extent check: walks the BIFF records of the workbook
//! stream and refuses a sheet whose declared dimensions or cell positions span more than the
//! limits. calamine reserves room for every cell a DIMENSIONS record claims, so a 14 KB file
//! claiming 4 billion rows aborts the process (found by fuzzing); it must not get that far.

use super::compound::{u16_at, u32_at};
use super::{GuardError, Limits};

const EOF: u16 = 0x000A;
const BOUND_SHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const MUL_RK: u16 = 0x00BD;
/// Records that hold one cell and start with its row and column (Number, Label, RString,
/// BoolErr, RK, LabelSst, Formula).
const SINGLE_CELLS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];

/// Checks every sheet of a workbook stream against `limits`, reading it as calamine does:
/// the globals from the start to their EOF, collecting the sheets' positions (BoundSheet8),
/// then each sheet from its position to its EOF. A crafted position that falls elsewhere
/// than where a sequential walk would go is therefore followed too (found by fuzzing).
pub fn check_stream(stream: &[u8], limits: &Limits) -> Result<(), GuardError> {
    let mut sheets: Vec<(usize, String)> = Vec::new();
    for (kind, data) in records(stream, 0) {
        match kind {
            EOF => break,
            BOUND_SHEET if data.len() >= 8 => {
                sheets.push((u32_at(data, 0) as usize, sheet_name(&data[6..])));
            }
            _ => {}
        }
    }
    for (position, name) in sheets {
        let mut sheet = SheetExtent::new(name);
        for (kind, data) in records(stream, position) {
            match kind {
                EOF => break,
                DIMENSIONS => sheet.check_dimensions(data, limits)?,
                MUL_RK if data.len() >= 6 => {
                    let row = u16_at(data, 0);
                    sheet.cover(row, u16_at(data, 2));
                    sheet.cover(row, u16_at(data, data.len() - 2));
                }
                k if SINGLE_CELLS.contains(&k) && data.len() >= 4 => {
                    sheet.cover(u16_at(data, 0), u16_at(data, 2));
                }
                _ => {}
            }
        }
        sheet.check(limits)?;
    }
    Ok(())
}

/// The records `(type, data)` from `start` on; a record cut off by the end is given short.
fn records(stream: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = start;
    std::iter::from_fn(move || {
        if at.checked_add(4)? > stream.len() {
            return None;
        }
        let kind = u16_at(stream, at);
        let len = usize::from(u16_at(stream, at + 2));
        let data = &stream[at + 4..(at + 4 + len).min(stream.len())];
        at += 4 + len;
        Some((kind, data))
    })
}

/// A BIFF8 short string (`cch`, flags, then Latin-1 or UTF-16LE characters); BIFF5 names
/// (no flags byte) come out close enough for a message.
fn sheet_name(data: &[u8]) -> String {
    let Some((&count, rest)) = data.split_first() else {
        return String::new();
    };
    let count = usize::from(count);
    match rest.split_first() {
        Some((&flags, chars)) if flags & 1 == 1 => {
            let units: Vec<u16> = chars
                .chunks_exact(2)
                .take(count)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        Some((_, chars)) => chars.iter().take(count).map(|&b| char::from(b)).collect(),
        None => String::new(),
    }
}

/// The span of one sheet's cells, zero-based.
struct SheetExtent {
    name: String,
    rows: (u16, u16),
    cols: (u16, u16),
    any: bool,
}

impl SheetExtent {
    fn new(name: String) -> Self {
        Self {
            name,
            rows: (u16::MAX, 0),
            cols: (u16::MAX, 0),
            any: false,
        }
    }

    fn cover(&mut self, row: u16, col: u16) {
        self.any = true;
        self.rows = (self.rows.0.min(row), self.rows.1.max(row));
        self.cols = (self.cols.0.min(col), self.cols.1.max(col));
    }

    /// What calamine reserves for a DIMENSIONS record: (last − first + 1) rows times
    /// columns, computed as it does (u32, wrapping), so a reversed range is caught too.
    fn check_dimensions(&self, data: &[u8], limits: &Limits) -> Result<(), GuardError> {
        let (first_row, last_row, first_col, last_col) = match data.len() {
            10 => (
                u32::from(u16_at(data, 0)),
                u32::from(u16_at(data, 2)),
                u32::from(u16_at(data, 4)),
                u32::from(u16_at(data, 6)),
            ),
            14 | 16 => (
                u32_at(data, 0),
                u32_at(data, 4),
                u32::from(u16_at(data, 8)),
                u32::from(u16_at(data, 10)),
            ),
            _ => return Ok(()),
        };
        let first_col = if first_col > 0xFF || last_col < first_col {
            0
        } else {
            first_col
        };
        if last_row == 0 || last_col == 0 {
            return Ok(());
        }
        let rows = u64::from((last_row - 1).wrapping_sub(first_row).wrapping_add(1));
        let cols = u64::from((last_col - 1).wrapping_sub(first_col).wrapping_add(1));
        if u64::from(last_row) > limits.max_rows || rows > limits.max_rows {
            return Err(GuardError::TooManyRows {
                sheet: self.name.clone(),
                rows: u64::from(last_row).max(rows),
                limit: limits.max_rows,
            });
        }
        let cells = rows.saturating_mul(cols);
        if cells > limits.max_cells {
            return Err(GuardError::TooManyCells {
                sheet: self.name.clone(),
                cells,
                last: crate::ingest::cell::address(last_row - 1, last_col - 1),
                limit: limits.max_cells,
            });
        }
        Ok(())
    }

    fn check(self, limits: &Limits) -> Result<(), GuardError> {
        if !self.any {
            return Ok(());
        }
        let last_row = u64::from(self.rows.1) + 1;
        if last_row > limits.max_rows {
            return Err(GuardError::TooManyRows {
                sheet: self.name,
                rows: last_row,
                limit: limits.max_rows,
            });
        }
        let cells =
            (u64::from(self.rows.1 - self.rows.0) + 1) * (u64::from(self.cols.1 - self.cols.0) + 1);
        if cells > limits.max_cells {
            return Err(GuardError::TooManyCells {
                sheet: self.name,
                cells,
                last: crate::ingest::cell::address(u32::from(self.rows.1), u32::from(self.cols.1)),
                limit: limits.max_cells,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut out = kind.to_le_bytes().to_vec();
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
        out
    }

    fn dimensions(last_row: u32, last_col: u16) -> Vec<u8> {
        let mut data = 0u32.to_le_bytes().to_vec();
        data.extend_from_slice(&last_row.to_le_bytes());
        data.extend_from_slice(&0u16.to_le_bytes());
        data.extend_from_slice(&last_col.to_le_bytes());
        data.extend_from_slice(&0u16.to_le_bytes());
        record(DIMENSIONS, &data)
    }

    /// Globals naming one sheet at `position`, then `tail`.
    fn stream(position: u32, tail: &[u8]) -> Vec<u8> {
        let mut bound = position.to_le_bytes().to_vec();
        bound.extend_from_slice(&[0, 0, 2, 0, b'S', b'1']);
        let mut out = record(0x0809, &[0; 16]);
        out.extend(record(BOUND_SHEET, &bound));
        out.extend(record(EOF, &[]));
        out.extend_from_slice(tail);
        out
    }

    #[test]
    fn a_sheet_is_read_from_where_its_bound_sheet_points() {
        // The huge DIMENSIONS hides inside another record's data for a sequential walk, but
        // the sheet's position points straight at it, as calamine will read it.
        let hidden = dimensions(4_000_000, 200);
        let mut tail = record(0x0809, &[0; 16]);
        let inner_at = tail.len() + 4;
        tail.extend(record(0x00FC, &hidden));
        tail.extend(record(EOF, &[]));
        let head = stream(0, &[]).len();
        let crafted = stream((head + inner_at) as u32, &tail);
        let refused = check_stream(&crafted, &Limits::default()).expect_err("refused");
        assert!(
            matches!(&refused, GuardError::TooManyRows { sheet, .. } if sheet == "S1"),
            "{refused:?}"
        );
        // The same sheet with sane dimensions passes.
        let mut sane = record(0x0809, &[0; 16]);
        sane.extend(dimensions(30, 5));
        sane.extend(record(EOF, &[]));
        let head = stream(0, &[]).len();
        assert!(check_stream(&stream(head as u32, &sane), &Limits::default()).is_ok());
    }
}
