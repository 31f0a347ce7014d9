//! The two blocks every administrative document shares (Nghị định 30/2020, DOCSTYLE.md): the
//! borderless header table (bodies and number | national name, motto and place-date line) and
//! the closing table (recipients | authority, title, signer). One layout for every document.

use super::document::{Block, Cell, Paragraph, ParagraphStyle, Row, Table, TableStyle};
use crate::config::Config;
use crate::vn::date::{format_date_line, format_month_for_date_line};
use crate::vn::Period;
use chrono::NaiveDate;

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

/// The two-column, borderless header: bodies and number on the left, the national name
/// and motto and the place and date on the right; `width` is the text width.
pub fn header_block(lines: &HeaderLines, width: u32) -> Block {
    let left_width = 4_000;
    let right_width = width.saturating_sub(left_width);
    let top_left = Cell::block(vec![
        Paragraph::new(ParagraphStyle::GoverningBody, &lines.governing_body),
        Paragraph::new(ParagraphStyle::IssuingBody, &lines.issuing_body),
        Paragraph::rule(1_200, left_width),
    ]);
    let top_right = Cell::block(vec![
        Paragraph::new(
            ParagraphStyle::NationalName,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        ),
        Paragraph::new(ParagraphStyle::Motto, "Độc lập - Tự do - Hạnh phúc"),
    ]);
    let bottom_left = Cell::block(vec![Paragraph::new(
        ParagraphStyle::DocumentNumber,
        &lines.number_line,
    )]);
    let bottom_right = Cell::block(vec![Paragraph::new(
        ParagraphStyle::PlaceAndDate,
        &lines.date_line,
    )]);
    Block::Table(Table {
        style: TableStyle::Borderless,
        widths: vec![left_width, right_width],
        header_rows: 0,
        rows: vec![
            Row::new(vec![top_left, top_right]),
            Row::new(vec![bottom_left, bottom_right]),
        ],
    })
}

/// Recipients on the left, authority, title and signer on the right, never split; the space
/// for the signature is the spacing above the signer's name in the reference's style.
pub fn closing_block(lines: &ClosingLines, width: u32) -> Block {
    let left_width = 4_300;
    let right_width = width.saturating_sub(left_width);
    let mut left = vec![Paragraph::new(
        ParagraphStyle::RecipientsHeading,
        &lines.recipients_heading,
    )];
    left.extend(
        lines
            .recipients
            .iter()
            .map(|r| Paragraph::new(ParagraphStyle::Recipient, r)),
    );
    let mut right = Vec::new();
    if !lines.authority.is_empty() {
        right.push(Paragraph::new(
            ParagraphStyle::SignerTitle,
            &lines.authority,
        ));
    }
    right.push(Paragraph::new(ParagraphStyle::SignerTitle, &lines.title));
    right.push(Paragraph::new(ParagraphStyle::SignerName, &lines.name));
    Block::Table(Table {
        style: TableStyle::Borderless,
        widths: vec![left_width, right_width],
        header_rows: 0,
        rows: vec![Row::new(vec![Cell::block(left), Cell::block(right)])],
    })
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
