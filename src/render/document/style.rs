//! The named styles a document may use. The names are the contract with the reference
//! document (`templates/mau-van-ban.docx`): a clerk sees them in Word's style list, and the
//! exporter finds each style there by its name, whatever id the editor saved it under.

/// A paragraph style, by its role in an administrative document (Nghị định 30/2020).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParagraphStyle {
    /// Body text: justified, first line indented.
    Body,
    /// A `-` item; the dash comes from the style's numbering.
    Bullet,
    /// Headings: `I.` (1), `1.` (2), units `2.1.` (3), `a)` (4).
    Heading(u8),
    /// `BÁO CÁO`.
    Title,
    /// The line under the title saying what the document is about.
    Subject,
    /// The short rule under the title or the issuing body.
    Rule,
    /// The annex title, its basis line and its `(Kèm theo …)` line.
    AnnexTitle,
    AnnexBasis,
    AnnexAttachment,
    /// The letterhead: governing body, issuing body, national name, motto, number, place and date.
    GoverningBody,
    IssuingBody,
    NationalName,
    Motto,
    DocumentNumber,
    PlaceAndDate,
    /// The closing block: `Nơi nhận:`, its lines, the signer's authority and title, the name.
    RecipientsHeading,
    Recipient,
    SignerTitle,
    SignerName,
    /// Table text: header cells, left-aligned text, centred text, section rows, column numbers.
    TableHeader,
    TableText,
    TableCentred,
    TableSection,
    TableColumnNumber,
    /// An empty line between a table and what follows.
    Spacer,
    /// The text of a footnote.
    FootnoteText,
}

impl ParagraphStyle {
    /// Every style, for checking that the reference document defines them all.
    pub const ALL: [ParagraphStyle; 29] = [
        ParagraphStyle::Body,
        ParagraphStyle::Bullet,
        ParagraphStyle::Heading(1),
        ParagraphStyle::Heading(2),
        ParagraphStyle::Heading(3),
        ParagraphStyle::Heading(4),
        ParagraphStyle::Title,
        ParagraphStyle::Subject,
        ParagraphStyle::Rule,
        ParagraphStyle::AnnexTitle,
        ParagraphStyle::AnnexBasis,
        ParagraphStyle::AnnexAttachment,
        ParagraphStyle::GoverningBody,
        ParagraphStyle::IssuingBody,
        ParagraphStyle::NationalName,
        ParagraphStyle::Motto,
        ParagraphStyle::DocumentNumber,
        ParagraphStyle::PlaceAndDate,
        ParagraphStyle::RecipientsHeading,
        ParagraphStyle::Recipient,
        ParagraphStyle::SignerTitle,
        ParagraphStyle::SignerName,
        ParagraphStyle::TableHeader,
        ParagraphStyle::TableText,
        ParagraphStyle::TableCentred,
        ParagraphStyle::TableSection,
        ParagraphStyle::TableColumnNumber,
        ParagraphStyle::Spacer,
        ParagraphStyle::FootnoteText,
    ];

    /// The style's name in the reference document.
    pub fn name(self) -> &'static str {
        match self {
            ParagraphStyle::Body => "Nội dung",
            ParagraphStyle::Bullet => "Gạch đầu dòng",
            ParagraphStyle::Heading(1) => "Mục cấp 1",
            ParagraphStyle::Heading(2) => "Mục cấp 2",
            ParagraphStyle::Heading(3) => "Mục cấp 3",
            ParagraphStyle::Heading(_) => "Mục cấp 4",
            ParagraphStyle::Title => "Tên báo cáo",
            ParagraphStyle::Subject => "Trích yếu",
            ParagraphStyle::Rule => "Đường kẻ",
            ParagraphStyle::AnnexTitle => "Tên phụ lục",
            ParagraphStyle::AnnexBasis => "Căn cứ phụ lục",
            ParagraphStyle::AnnexAttachment => "Kèm theo",
            ParagraphStyle::GoverningBody => "Cơ quan chủ quản",
            ParagraphStyle::IssuingBody => "Cơ quan ban hành",
            ParagraphStyle::NationalName => "Quốc hiệu",
            ParagraphStyle::Motto => "Tiêu ngữ",
            ParagraphStyle::DocumentNumber => "Số, ký hiệu",
            ParagraphStyle::PlaceAndDate => "Địa danh, ngày tháng",
            ParagraphStyle::RecipientsHeading => "Nơi nhận",
            ParagraphStyle::Recipient => "Danh sách nơi nhận",
            ParagraphStyle::SignerTitle => "Chức vụ người ký",
            ParagraphStyle::SignerName => "Họ tên người ký",
            ParagraphStyle::TableHeader => "Tiêu đề bảng",
            ParagraphStyle::TableText => "Bảng",
            ParagraphStyle::TableCentred => "Bảng căn giữa",
            ParagraphStyle::TableSection => "Bảng - dòng mục",
            ParagraphStyle::TableColumnNumber => "Bảng - số thứ tự cột",
            ParagraphStyle::Spacer => "Dòng cách",
            ParagraphStyle::FootnoteText => "Chú thích",
        }
    }
}

/// A table style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableStyle {
    /// Data tables: a full grid.
    Grid,
    /// The letterhead and closing blocks: no borders.
    Borderless,
}

impl TableStyle {
    /// Every table style.
    pub const ALL: [TableStyle; 2] = [TableStyle::Grid, TableStyle::Borderless];

    /// The style's name in the reference document.
    pub fn name(self) -> &'static str {
        match self {
            TableStyle::Grid => "Bảng có lưới",
            TableStyle::Borderless => "Bảng không viền",
        }
    }
}

/// The character style of footnote marks, in the text and at the start of each note. Word's
/// built-in name (shown translated in a Vietnamese Word): LibreOffice formats the number at the
/// start of each note only through a style of this name.
pub const FOOTNOTE_MARK_STYLE: &str = "footnote reference";
