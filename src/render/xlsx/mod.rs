//! The XLSX toolkit shared by every workbook the project writes (the companion figures, the
//! plan annex, the targets, the blank forms): the cell formats in one place, so the
//! workbooks cannot drift apart in font, borders or number formats, the writing of long
//! lists without a format per cell, the height of rows with wrapped text, and where charts go.

pub mod chart_grid;
pub mod format;
pub mod list;
pub mod row_height;
