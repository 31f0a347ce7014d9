//! Drop-down sources too long for an inline list (Excel caps those at 255 characters): the
//! configured units' names, on a very hidden sheet that the validations point at.

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::config::UnitDirectory;

/// The sheet holding the lists; very hidden like the marker.
pub const LIST_SHEET: &str = "_danh_sach";

/// The range a list validation of unit names points at, or `None` without units. Known
/// before the sheet is written, so the list sheet can come last in the workbook.
pub fn unit_list_formula(directory: &UnitDirectory) -> Option<String> {
    let count = directory.units().len();
    (count > 0).then(|| format!("='{LIST_SHEET}'!$A$1:$A${count}"))
}

/// Writes the configured units' full names in column A of the very hidden list sheet.
pub fn add_unit_list(workbook: &mut Workbook, directory: &UnitDirectory) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(LIST_SHEET)?;
    for (row, unit) in directory.units().iter().enumerate() {
        sheet.write_string(row as u32, 0, &unit.name)?;
    }
    sheet.set_very_hidden(true);
    sheet.protect();
    Ok(())
}
