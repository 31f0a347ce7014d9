//! The look of the blank forms: cells to fill are shaded and unlocked, everything else is
//! locked, and the sheet is protected, so a unit can type only where the reader looks. Print
//! set-up is done too (A4, one page wide, header rows repeated), as a clerk would otherwise.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, ProtectionOptions, Worksheet, XlsxError};

/// Fill of the cells to fill in (light yellow, the usual colour of input cells).
pub const INPUT_FILL: &str = "FFF2CC";
/// Fill of header rows.
const HEADER_FILL: &str = "DDEBF7";
/// Fill of pre-filled cells that must not change.
const FIXED_FILL: &str = "F2F2F2";

/// The formats of every form.
pub struct Formats {
    pub title: Format,
    pub subtitle: Format,
    pub header: Format,
    /// Pre-filled text, locked.
    pub fixed: Format,
    pub fixed_centre: Format,
    /// A row that only explains the rows below (locked, italic).
    pub note: Format,
    pub input_text: Format,
    pub input_centre: Format,
    pub input_number: Format,
    pub input_date: Format,
    pub input_datetime: Format,
    pub input_month: Format,
    /// A whole-number percentage shown as `80%` while the cell holds 80.
    pub input_percent: Format,
    pub guide_title: Format,
    pub guide_heading: Format,
    pub guide_text: Format,
}

impl Formats {
    /// The formats, Times New Roman 12 as the department's documents.
    pub fn new() -> Self {
        let base = Format::new()
            .set_font_name("Times New Roman")
            .set_font_size(12);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let input = cell.clone().set_background_color(INPUT_FILL).set_unlocked();
        let input_centre = input.clone().set_align(FormatAlign::Center);
        Self {
            title: base
                .clone()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: base
                .clone()
                .set_italic()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(HEADER_FILL),
            fixed: cell.clone().set_background_color(FIXED_FILL),
            fixed_centre: cell
                .clone()
                .set_background_color(FIXED_FILL)
                .set_align(FormatAlign::Center),
            note: cell.clone().set_italic().set_bold(),
            input_number: input_centre.clone().set_num_format("#,##0"),
            input_date: input_centre.clone().set_num_format("dd/mm/yyyy"),
            input_datetime: input_centre.clone().set_num_format("dd/mm/yyyy hh:mm"),
            input_month: input_centre.clone().set_num_format("mm/yyyy"),
            input_percent: input_centre.clone().set_num_format("0\"%\""),
            input_centre,
            input_text: input,
            guide_title: base
                .clone()
                .set_bold()
                .set_font_size(14)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            guide_heading: base
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            guide_text: base
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Justify),
        }
    }
}

impl Default for Formats {
    fn default() -> Self {
        Self::new()
    }
}

/// Protects a sheet: locked cells cannot change, unlocked (input) cells can. Rows may be
/// inserted (a unit with more tasks than rows) and columns widened; an empty password
/// protects without one, so a unit can still unprotect when something is really wrong.
pub fn protect(sheet: &mut Worksheet, password: &str) {
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        ..ProtectionOptions::default()
    };
    if password.is_empty() {
        sheet.protect_with_options(&options);
    } else {
        sheet.protect_with_password(password);
        sheet.protect_with_options(&options);
    }
}

/// Print set-up: A4, one page wide, the rows up to `header_row` repeated on every page.
pub fn page_setup(
    sheet: &mut Worksheet,
    landscape: bool,
    header_row: Option<u32>,
) -> Result<(), XlsxError> {
    sheet
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_margins(0.6, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&CTrang &P/&N");
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    if let Some(row) = header_row {
        sheet.set_repeat_rows(0, row)?;
        sheet.set_freeze_panes(row + 1, 0)?;
    }
    Ok(())
}

/// Points per line of wrapped 12 pt Times New Roman.
const LINE_HEIGHT: f64 = 15.75;

/// The height (points) a row needs so that each text, wrapped in its column (`width` in
/// characters), shows whole. Set explicitly because LibreOffice does not grow rows to fit
/// wrapped text on opening, and a guess a little too tall beats text cut off.
pub fn wrapped_height(cells: &[(&str, f64)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| wrapped_lines(text, *width))
        .max()
        .unwrap_or(1)
        .max(1);
    lines as f64 * LINE_HEIGHT + 3.0
}

/// Lines a text takes in a column: about one character of Times New Roman 12 per unit of
/// column width, less a margin; explicit line breaks count.
fn wrapped_lines(text: &str, width: f64) -> usize {
    let per_line = ((width - 2.0) * 1.05).max(1.0);
    text.split('\n')
        .map(|line| {
            let chars = line.chars().count() as f64;
            (chars / per_line).ceil().max(1.0) as usize
        })
        .sum()
}

/// Sets column widths (in characters) from the first column on.
pub fn widths(sheet: &mut Worksheet, widths: &[f64]) -> Result<(), XlsxError> {
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    Ok(())
}
