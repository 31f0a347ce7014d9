//! The one place where the cell formats of the workbooks are defined. The companion figures,
//! the targets, the plan annex and the blank forms used to build their own formats, each
//! repeating the font, the fills and the number formats; a change to one drifted from the
//! others. Each workbook now takes its set of formats from here, built from the same pieces.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};

/// The font of every workbook, the same as the department's documents.
pub const FONT_NAME: &str = "Times New Roman";
/// Size of body text, in points.
pub const FONT_SIZE: f64 = 12.0;
/// Size of sheet titles, in points.
pub const TITLE_FONT_SIZE: f64 = 14.0;

/// Fill of header rows (light blue).
pub const HEADER_FILL: &str = "DDEBF7";
/// Fill of total rows, section rows and pre-filled cells that must not change (light grey).
pub const TOTAL_FILL: &str = "F2F2F2";
/// Fill of what is late or overdue (light orange).
pub const LATE_FILL: &str = "FCE4D6";
/// Fill of the cells a unit types into (light yellow, the usual colour of input cells).
pub const INPUT_FILL: &str = "FFF2CC";

/// A whole number with thousands separators.
pub const INTEGER: &str = "#,##0";
/// A fraction shown as a whole percentage (`0.8` as `80%`).
pub const PERCENT: &str = "0%";
/// A fraction shown as a percentage with one decimal (`0.125` as `12.5%`).
pub const PERCENT_TENTHS: &str = "0.0%";
/// A change as a signed percentage with one decimal (`+12.5%`, `-3.0%`, `0.0%`).
pub const SIGNED_PERCENT_TENTHS: &str = "+0.0%;-0.0%;0.0%";
/// A whole-number percentage typed as the number itself (`80` shown as `80%`).
pub const TYPED_PERCENT: &str = "0\"%\"";
/// A date as Vietnamese readers write it.
pub const DATE: &str = "dd/mm/yyyy";
/// A date and time to the minute.
pub const DATE_TIME: &str = "dd/mm/yyyy hh:mm";
/// A date and time to the second.
pub const DATE_TIME_SECONDS: &str = "dd/mm/yyyy hh:mm:ss";
/// A month of a year.
pub const MONTH: &str = "mm/yyyy";

/// Body text: the font and size every other format starts from.
pub fn base() -> Format {
    Format::new()
        .set_font_name(FONT_NAME)
        .set_font_size(FONT_SIZE)
}

/// A table's header cell: bold, wrapped, centred both ways, filled and boxed.
pub fn header() -> Format {
    base()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(HEADER_FILL)
        .set_border(FormatBorder::Thin)
}

/// A sheet title centred over the table (annex, forms).
pub fn centred_title() -> Format {
    base()
        .set_bold()
        .set_font_size(TITLE_FONT_SIZE)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

/// A line under a title, in italics and centred (the annex's attachment line, the forms'
/// subtitle).
pub fn centred_note() -> Format {
    base()
        .set_italic()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

/// The thin grid drawn by conditional format over the rows of a long list
/// ([`super::list::list_body`]); a differential format, so it has a border only.
pub fn grid() -> Format {
    Format::new().set_border(FormatBorder::Thin)
}

/// A boxed cell of a figure table, aligned to the top so that a wrapped neighbour does not
/// leave its value floating in the middle.
fn top_cell() -> Format {
    base()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
}

/// A boxed cell of a task table or form, wrapped and centred vertically.
fn boxed_cell() -> Format {
    base()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

/// The formats of the figure tables: the companion workbook (`companion_xlsx`) and the
/// targets workbook (`targets_xlsx`), which share their look.
pub struct TableFormats {
    /// A sheet title above the table, left-aligned.
    pub title: Format,
    /// The header row.
    pub header: Format,
    /// Text in a boxed cell.
    pub text: Format,
    /// Wrapped text in a boxed cell.
    pub wrap: Format,
    /// A count (`#,##0`).
    pub integer: Format,
    /// A share (`0.0%`).
    pub percent: Format,
    /// A change from a month to another (`+0.0%`).
    pub signed_percent: Format,
    /// A date.
    pub date: Format,
    /// A date and time to the second.
    pub datetime: Format,
    /// A total row's label, bold on grey.
    pub total_text: Format,
    /// A total row's count.
    pub total_integer: Format,
    /// A total row's share.
    pub total_percent: Format,
    /// Conditional format of a target met (green).
    pub met: Format,
    /// Conditional format of a target missed (red).
    pub missed: Format,
    /// A long list's text column, without a border ([`super::list::list_body`] draws the
    /// grid).
    pub list_text: Format,
    /// A long list's wrapped text column.
    pub list_wrap: Format,
    /// A long list's count column.
    pub list_integer: Format,
    /// A long list's date column.
    pub list_date: Format,
    /// A long list's share column.
    pub list_percent: Format,
    /// A long list's cell that says something is late (bold on orange).
    pub late_list_text: Format,
}

impl TableFormats {
    /// The figure tables' formats, Times New Roman 12.
    pub fn new() -> Self {
        let cell = top_cell();
        let total = cell.clone().set_bold().set_background_color(TOTAL_FILL);
        let list = base().set_align(FormatAlign::Top);
        Self {
            title: base().set_bold().set_font_size(TITLE_FONT_SIZE),
            header: header(),
            text: cell.clone(),
            wrap: cell.clone().set_text_wrap(),
            integer: cell.clone().set_num_format(INTEGER),
            percent: cell.clone().set_num_format(PERCENT_TENTHS),
            signed_percent: cell.clone().set_num_format(SIGNED_PERCENT_TENTHS),
            date: cell.clone().set_num_format(DATE),
            datetime: cell.set_num_format(DATE_TIME_SECONDS),
            total_text: total.clone(),
            total_integer: total.clone().set_num_format(INTEGER),
            total_percent: total.set_num_format(PERCENT_TENTHS),
            met: Format::new()
                .set_background_color("C6EFCE")
                .set_font_color("006100"),
            missed: Format::new()
                .set_background_color("FFC7CE")
                .set_font_color("9C0006"),
            list_text: list.clone(),
            list_wrap: list.clone().set_text_wrap(),
            list_integer: list.clone().set_num_format(INTEGER),
            list_date: list.clone().set_num_format(DATE),
            list_percent: list.clone().set_num_format(PERCENT_TENTHS),
            late_list_text: list.set_background_color(LATE_FILL).set_bold(),
        }
    }
}

impl Default for TableFormats {
    fn default() -> Self {
        Self::new()
    }
}

/// The formats of the plan annex (`annex_xlsx`): wrapped task rows, section rows, overdue
/// rows in orange.
pub struct AnnexFormats {
    /// The annex title.
    pub title: Format,
    /// The plan's basis line under the title, bold.
    pub subtitle: Format,
    /// The attachment line (`Kèm theo Kế hoạch số …`), italic.
    pub attachment: Format,
    /// The header rows.
    pub header: Format,
    /// The row of column numbers under the header, italic.
    pub numbering: Format,
    /// A section row merged across the table, bold on grey.
    pub section: Format,
    /// Wrapped text.
    pub text: Format,
    /// Wrapped text, centred.
    pub centre: Format,
    /// Text of an overdue row.
    pub late_text: Format,
    /// Centred text of an overdue row.
    pub late_centre: Format,
    /// A progress as a whole percentage.
    pub percent: Format,
    /// A progress of an overdue row.
    pub late_percent: Format,
    /// A count.
    pub integer: Format,
    /// A total row, bold on grey.
    pub total: Format,
}

impl AnnexFormats {
    /// The annex's formats, Times New Roman 12.
    pub fn new() -> Self {
        let cell = boxed_cell();
        let centre = cell.clone().set_align(FormatAlign::Center);
        Self {
            title: centred_title(),
            subtitle: base()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            attachment: centred_note(),
            header: header(),
            numbering: centre.clone().set_italic(),
            section: cell.clone().set_bold().set_background_color(TOTAL_FILL),
            late_text: cell.clone().set_background_color(LATE_FILL),
            late_centre: centre.clone().set_background_color(LATE_FILL),
            percent: centre.clone().set_num_format(PERCENT),
            late_percent: centre
                .clone()
                .set_num_format(PERCENT)
                .set_background_color(LATE_FILL),
            integer: centre.clone().set_num_format(INTEGER),
            total: centre.clone().set_bold().set_background_color(TOTAL_FILL),
            text: cell,
            centre,
        }
    }
}

impl Default for AnnexFormats {
    fn default() -> Self {
        Self::new()
    }
}

/// The formats of the blank forms (`crate::forms`): cells to fill are yellow and unlocked,
/// pre-filled cells grey and locked, so a unit types only where the reader looks.
pub struct FormFormats {
    /// The form's title.
    pub title: Format,
    /// The line under the title, italic.
    pub subtitle: Format,
    /// The header row.
    pub header: Format,
    /// Pre-filled text, locked.
    pub fixed: Format,
    /// Pre-filled text, centred, locked.
    pub fixed_centre: Format,
    /// A row that only explains the rows below (locked, italic).
    pub note: Format,
    /// Text to type.
    pub input_text: Format,
    /// Centred text to type.
    pub input_centre: Format,
    /// A count to type.
    pub input_number: Format,
    /// A date to type.
    pub input_date: Format,
    /// A date and time to type.
    pub input_datetime: Format,
    /// A month to type.
    pub input_month: Format,
    /// A whole-number percentage shown as `80%` while the cell holds 80.
    pub input_percent: Format,
    /// The guide sheet's title.
    pub guide_title: Format,
    /// A heading of the guide sheet.
    pub guide_heading: Format,
    /// A paragraph of the guide sheet, justified.
    pub guide_text: Format,
}

impl FormFormats {
    /// The forms' formats, Times New Roman 12.
    pub fn new() -> Self {
        let cell = boxed_cell();
        let input = cell.clone().set_background_color(INPUT_FILL).set_unlocked();
        let input_centre = input.clone().set_align(FormatAlign::Center);
        Self {
            title: centred_title(),
            subtitle: centred_note(),
            header: header(),
            fixed: cell.clone().set_background_color(TOTAL_FILL),
            fixed_centre: cell
                .clone()
                .set_background_color(TOTAL_FILL)
                .set_align(FormatAlign::Center),
            note: cell.set_italic().set_bold(),
            input_number: input_centre.clone().set_num_format(INTEGER),
            input_date: input_centre.clone().set_num_format(DATE),
            input_datetime: input_centre.clone().set_num_format(DATE_TIME),
            input_month: input_centre.clone().set_num_format(MONTH),
            input_percent: input_centre.clone().set_num_format(TYPED_PERCENT),
            input_centre,
            input_text: input,
            guide_title: centred_title().set_text_wrap(),
            guide_heading: base()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            guide_text: base()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Justify),
        }
    }
}

impl Default for FormFormats {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A format as rust_xlsxwriter describes it; its fields are private, and this is what
    /// reaches `styles.xml`.
    fn described(format: &Format) -> String {
        format!("{format:?}")
    }

    #[test]
    fn body_text_is_times_new_roman_12() {
        for format in [
            base(),
            TableFormats::new().text,
            AnnexFormats::new().text,
            FormFormats::new().input_text,
        ] {
            let text = described(&format);
            assert!(text.contains("name: \"Times New Roman\""), "{text}");
            assert!(text.contains("size: \"12\""), "{text}");
        }
        assert!(described(&centred_title()).contains("size: \"14\""));
    }

    #[test]
    fn counts_and_shares_have_their_number_formats() {
        let table = TableFormats::new();
        assert!(described(&table.integer).contains("num_format: \"#,##0\""));
        assert!(described(&table.total_integer).contains("num_format: \"#,##0\""));
        assert!(described(&table.percent).contains("num_format: \"0.0%\""));
        assert!(described(&AnnexFormats::new().percent).contains("num_format: \"0%\""));
        assert!(described(&FormFormats::new().input_percent).contains(r#"num_format: "0\"%\"""#));
    }

    #[test]
    fn workbooks_share_their_header_and_lists_have_no_border() {
        let table = TableFormats::new();
        assert_eq!(table.header, AnnexFormats::new().header);
        assert_eq!(table.header, FormFormats::new().header);
        // A list column's grid comes from the conditional format, not from the column.
        assert_eq!(table.list_text, base().set_align(FormatAlign::Top));
        assert_ne!(table.list_text, table.text);
    }
}
