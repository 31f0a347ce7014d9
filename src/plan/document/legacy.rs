//! Word 97–2003 plans (.doc): converted to .docx by LibreOffice when it is installed, with
//! the same time limit and private profile as the PDF copies (`render::pdf`), then read like
//! any .docx. Without LibreOffice the clerk is asked to save the plan as .docx.

use super::body::DocumentError;
use crate::render::pdf::{Converter, LibreOfficeSettings, PdfError};

/// Whether bytes are a Word 97–2003 document (an OLE compound file), whatever the name.
pub fn is_legacy_word(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// The .docx LibreOffice makes of a .doc named `name`.
pub fn doc_to_docx(
    name: &str,
    bytes: &[u8],
    settings: &LibreOfficeSettings,
) -> Result<Vec<u8>, DocumentError> {
    let Some(converter) = Converter::find(settings) else {
        return Err(DocumentError::LegacyWord);
    };
    // LibreOffice decides the format by content; a plain ASCII name keeps its command line
    // and its output name predictable.
    let source = "ke-hoach.doc";
    converter
        .convert_to(source, bytes, "docx")
        .map_err(|error| match error {
            PdfError::TimedOut { seconds, .. } => DocumentError::Conversion(format!(
                "LibreOffice không trả lời sau {seconds} giây khi chuyển {name}"
            )),
            PdfError::Failed { detail, .. } if detail.is_empty() => {
                DocumentError::Conversion(format!("LibreOffice không chuyển được {name}"))
            }
            PdfError::Failed { detail, .. } => {
                DocumentError::Conversion(format!("LibreOffice không chuyển được {name}: {detail}"))
            }
            other => DocumentError::Conversion(other.to_string()),
        })
}
