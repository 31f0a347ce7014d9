//! The XLSX toolkit shared by every workbook the project writes (the companion figures, the
//! plan annex, the targets, the blank forms): the cell formats in one place, so the
//! workbooks cannot drift apart in font, borders or number formats, and the writing of long
//! lists without a format per cell.

pub mod format;
pub mod list;
