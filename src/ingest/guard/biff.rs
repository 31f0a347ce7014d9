//! The `.xls` counterpart of the sheet-extent check: walks the BIFF records of the workbook
//! stream and refuses a sheet whose declared dimensions or cell positions span more than the
//! limits. calamine reserves room for every cell a DIMENSIONS record claims, so a 14 KB file
//! claiming 4 billion rows aborts the process (found by fuzzing); it must not get that far.

use super::compound::{u16_at, u32_at};
use super::{GuardError, Limits, WorkbookBudget};

const EOF: u16 = 0x000A;
/// The record that says the rest of the stream is encrypted (a password to open).
const FILEPASS: u16 = 0x002F;
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
/// An encrypted stream (FILEPASS among the globals) is refused first: what follows it is
/// ciphertext, and reading it as records yields nonsense sizes and names. Every sheet's cost
/// (what calamine reserves and builds for it, all sheets being built on opening) is charged
/// to `budget`.
pub fn check_stream(
    stream: &[u8],
    limits: &Limits,
    budget: &mut WorkbookBudget,
) -> Result<(), GuardError> {
    let mut sheets: Vec<(usize, String)> = Vec::new();
    for (kind, data) in records(stream, 0) {
        match kind {
            EOF => break,
            FILEPASS => return Err(GuardError::Encrypted),
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
        budget.charge(sheet.check(limits)?)?;
    }
    Ok(())
}

/// What calamine allocates per cell: its cell list entry, and in the sheet's ranges a value
/// and a formula text; then the reader's own copy.
const CELL_BYTES: u64 = std::mem::size_of::<calamine::Cell<calamine::Data>>() as u64;
const RANGE_BYTES: u64 = (2 * std::mem::size_of::<calamine::Data>()
    + std::mem::size_of::<String>()
    + std::mem::size_of::<crate::ingest::CellValue>()) as u64;

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
    /// Cells its DIMENSIONS records make calamine reserve room for (the largest).
    reserved: u64,
    /// Cell records seen.
    cells: u64,
}

impl SheetExtent {
    fn new(name: String) -> Self {
        Self {
            name,
            rows: (u16::MAX, 0),
            cols: (u16::MAX, 0),
            any: false,
            reserved: 0,
            cells: 0,
        }
    }

    fn cover(&mut self, row: u16, col: u16) {
        self.any = true;
        self.cells += 1;
        self.rows = (self.rows.0.min(row), self.rows.1.max(row));
        self.cols = (self.cols.0.min(col), self.cols.1.max(col));
    }

    /// What calamine reserves for a DIMENSIONS record: (last − first + 1) rows times
    /// columns, computed as it does (u32, wrapping), so a reversed range is caught too.
    fn check_dimensions(&mut self, data: &[u8], limits: &Limits) -> Result<(), GuardError> {
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
        self.reserved = self.reserved.max(cells);
        Ok(())
    }

    /// Holds the sheet to the limits; its cost in bytes when it passes.
    fn check(self, limits: &Limits) -> Result<u64, GuardError> {
        let listed = (self.reserved + 2 * self.cells).saturating_mul(CELL_BYTES);
        if !self.any {
            return Ok(listed);
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
        Ok(listed.saturating_add(cells.saturating_mul(RANGE_BYTES)))
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
        let limits = Limits::default();
        let refused = check_stream(&crafted, &limits, &mut WorkbookBudget::new(&limits))
            .expect_err("refused");
        assert!(
            matches!(&refused, GuardError::TooManyRows { sheet, .. } if sheet == "S1"),
            "{refused:?}"
        );
        // The same sheet with sane dimensions passes.
        let mut sane = record(0x0809, &[0; 16]);
        sane.extend(dimensions(30, 5));
        sane.extend(record(EOF, &[]));
        let head = stream(0, &[]).len();
        let mut budget = WorkbookBudget::new(&limits);
        assert!(check_stream(&stream(head as u32, &sane), &limits, &mut budget).is_ok());
        assert!(budget.used() >= 30 * 5 * CELL_BYTES, "{}", budget.used());
    }

    #[test]
    fn an_encrypted_stream_is_refused_before_its_sheets_are_read() {
        // FILEPASS among the globals, then a sheet whose (encrypted) records read as a huge
        // DIMENSIONS: the password is what the unit is told, not the size.
        let mut tail = record(0x0809, &[0; 16]);
        tail.extend(dimensions(4_000_000, 200));
        tail.extend(record(EOF, &[]));
        let mut globals = record(0x0809, &[0; 16]);
        globals.extend(record(FILEPASS, &[1, 0, 1, 0, 2, 0]));
        let head = globals.len() + 4 + 8 + 4;
        let mut bound = (head as u32).to_le_bytes().to_vec();
        bound.extend_from_slice(&[0, 0, 2, 0]);
        globals.extend(record(BOUND_SHEET, &bound));
        globals.extend(record(EOF, &[]));
        globals.extend(tail);
        let limits = Limits::default();
        assert_eq!(
            check_stream(&globals, &limits, &mut WorkbookBudget::new(&limits)),
            Err(GuardError::Encrypted)
        );
    }

    #[test]
    fn sheets_are_charged_together_to_the_workbook() {
        // Twenty sheets of 40,000 cells each pass the sheet limits, but not one budget.
        let mut globals = record(0x0809, &[0; 16]);
        let sheet = {
            let mut s = record(0x0809, &[0; 16]);
            s.extend(dimensions(400, 100));
            s.extend(record(EOF, &[]));
            s
        };
        let bound_len = 4 + 8;
        let head = globals.len() + 20 * bound_len + 4;
        for i in 0..20 {
            let mut bound = ((head + i * sheet.len()) as u32).to_le_bytes().to_vec();
            bound.extend_from_slice(&[0, 0, 2, 0]);
            globals.extend(record(BOUND_SHEET, &bound));
        }
        globals.extend(record(EOF, &[]));
        for _ in 0..20 {
            globals.extend_from_slice(&sheet);
        }
        let limits = Limits {
            max_workbook_bytes: 10 * 1024 * 1024,
            ..Limits::default()
        };
        let mut one = WorkbookBudget::new(&limits);
        let refused = check_stream(&globals, &limits, &mut one).expect_err("over budget");
        assert!(
            matches!(refused, GuardError::OverBudget { limit: 10, .. }),
            "{refused:?}"
        );
    }
}
