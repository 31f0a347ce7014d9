//! The two blocks every administrative document shares (Nghị định 30/2020, DOCSTYLE.md): the
//! borderless header table (bodies and number | national motto and place-date line) and the
//! closing table (recipients | authority, title, signer). One implementation for every DOCX.

use chrono::NaiveDate;
use docx_rs::*;

use super::docx_style::*;
use crate::config::Config;
use crate::vn::date::{format_date_line, format_month_for_date_line};
use crate::vn::Period;

/// The lines of the header block.
#[derive(Debug, Clone)]
pub struct HeaderLines {
    pub governing_body: String,
    pub issuing_body: String,
    /// `Số:        /BC-SGDĐT`, the number left blank for the clerk.
    pub number_line: String,
    /// `Hải Phòng, ngày      tháng 12 năm 2025`.
    pub date_line: String,
}

impl HeaderLines {
    /// The header of a report on `period`, signed in the following month.
    pub fn for_report(config: &Config, period: Period) -> Self {
        Self {
            governing_body: config.organisation.governing_body.clone(),
            issuing_body: config.organisation.issuing_body.clone(),
            number_line: format!("Số:        /{}", config.organisation.document_symbol),
            date_line: date_line(config, period),
        }
    }
}

/// The place and date line of a report on `period`: dated in the month after it, on the
/// configured day, or with the day left blank for the clerk (seed 001) when none is set.
pub fn date_line(config: &Config, period: Period) -> String {
    let next = period.next();
    let day = config.organisation.issue_day;
    match NaiveDate::from_ymd_opt(next.year, next.month, day) {
        Some(date) if day > 0 => {
            format!("{}, {}", config.organisation.place, format_date_line(date))
        }
        _ => format!(
            "{}, ngày      tháng {} năm {}",
            config.organisation.place,
            format_month_for_date_line(next.month),
            next.year
        ),
    }
}

/// The lines of the closing block.
#[derive(Debug, Clone)]
pub struct ClosingLines {
    pub recipients_heading: String,
    /// Each already written `- …;`, the last `- Lưu: ….`.
    pub recipients: Vec<String>,
    pub authority: String,
    pub title: String,
    pub name: String,
}

impl ClosingLines {
    /// The signatory of the configuration with the given recipients.
    pub fn signed_by(config: &Config, recipients_heading: String, recipients: &[String]) -> Self {
        Self {
            recipients_heading,
            recipients: recipient_lines(recipients),
            authority: config.signatory.authority.clone(),
            title: config.signatory.title.clone(),
            name: config.signatory.name.clone(),
        }
    }
}

/// `- X;` for each recipient, the last one ending with a full stop.
pub fn recipient_lines(recipients: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = recipients
        .iter()
        .map(|r| {
            format!(
                "- {};",
                r.trim()
                    .trim_start_matches("- ")
                    .trim_end_matches([';', '.'])
            )
        })
        .collect();
    if let Some(last) = lines.last_mut() {
        last.pop();
        last.push('.');
    }
    lines
}

/// The two-column, borderless header: bodies and number on the left, the national motto
/// and the place and date on the right.
pub fn header_block(lines: &HeaderLines) -> Table {
    let left_width = 4_000;
    let right_width = TEXT_WIDTH - left_width;
    let top_left = TableCell::new()
        .width(left_width, WidthType::Dxa)
        .add_paragraph(centred(run(&lines.governing_body, SMALL_SIZE)))
        .add_paragraph(centred(run(&lines.issuing_body, SMALL_SIZE).bold()))
        .add_paragraph(rule(1_200, left_width));
    let top_right = TableCell::new()
        .width(right_width, WidthType::Dxa)
        .add_paragraph(centred(
            run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", SMALL_SIZE).bold(),
        ))
        .add_paragraph(centred(
            run("Độc lập - Tự do - Hạnh phúc", HEADER_SIZE)
                .bold()
                .underline("single"),
        ));
    let bottom_left = TableCell::new()
        .width(left_width, WidthType::Dxa)
        .add_paragraph(centred(run(&lines.number_line, HEADER_SIZE)));
    let bottom_right = TableCell::new()
        .width(right_width, WidthType::Dxa)
        .add_paragraph(centred(run(&lines.date_line, HEADER_SIZE).italic()));
    Table::without_borders(vec![
        TableRow::new(vec![top_left, top_right]),
        TableRow::new(vec![bottom_left, bottom_right]),
    ])
    .set_grid(vec![left_width, right_width])
    .width(TEXT_WIDTH, WidthType::Dxa)
    .layout(TableLayoutType::Fixed)
}

/// Recipients on the left, authority, title and signer on the right, never split.
pub fn closing_block(lines: &ClosingLines) -> Table {
    let left_width = 4_300;
    let right_width = TEXT_WIDTH - left_width;
    let mut left = TableCell::new()
        .width(left_width, WidthType::Dxa)
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&lines.recipients_heading, SMALL_SIZE).bold().italic())
                .line_spacing(LineSpacing::new().before(0).after(0)),
        );
    for recipient in &lines.recipients {
        left = left.add_paragraph(
            Paragraph::new()
                .add_run(run(recipient, RECIPIENT_SIZE))
                .line_spacing(LineSpacing::new().before(0).after(0)),
        );
    }
    let mut right = TableCell::new().width(right_width, WidthType::Dxa);
    if !lines.authority.is_empty() {
        right = right.add_paragraph(centred(run(&lines.authority, BODY_SIZE).bold()));
    }
    right = right.add_paragraph(centred(run(&lines.title, BODY_SIZE).bold()));
    for _ in 0..5 {
        right = right.add_paragraph(centred(run("", BODY_SIZE)));
    }
    right = right.add_paragraph(centred(run(&lines.name, BODY_SIZE).bold()));
    Table::without_borders(vec![TableRow::new(vec![left, right]).cant_split()])
        .set_grid(vec![left_width, right_width])
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::BUILTIN_CONFIG;

    fn config() -> Config {
        Config::from_toml(BUILTIN_CONFIG).expect("shipped config")
    }

    #[test]
    fn the_date_line_is_in_the_month_after_the_period() {
        let mut config = config();
        let december = Period::new(2025, 12).expect("valid");
        assert_eq!(
            date_line(&config, december),
            "Hải Phòng, ngày      tháng 01 năm 2026"
        );
        config.organisation.issue_day = 5;
        assert_eq!(
            date_line(&config, Period::new(2025, 11).expect("valid")),
            "Hải Phòng, ngày 05 tháng 12 năm 2025"
        );
    }

    #[test]
    fn recipients_end_with_semicolons_and_a_full_stop() {
        let lines = recipient_lines(&[
            "Bộ GDĐT (để b/c)".into(),
            "- Website Sở;".into(),
            "Lưu: VT, VP.".into(),
        ]);
        assert_eq!(
            lines,
            ["- Bộ GDĐT (để b/c);", "- Website Sở;", "- Lưu: VT, VP."]
        );
    }
}
