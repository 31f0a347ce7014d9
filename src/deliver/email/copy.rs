//! `copy_to`: a folder (a share of the document system) that also gets the period's
//! documents, in `copy_to/YYYY-MM/`, each file complete or absent and rewritten only when
//! its content changed.

use std::path::Path;

use super::ledger::write_atomically;
use super::{Attachment, DeliveryError};

/// Copies `documents` into `folder/period/`; returns the names of the files written (those
/// already there with the same bytes are left alone).
pub fn copy_documents(
    folder: &Path,
    period: &str,
    documents: &[Attachment],
) -> Result<Vec<String>, DeliveryError> {
    let target = folder.join(period);
    let mut copied = Vec::new();
    for document in documents {
        let path = target.join(&document.name);
        if std::fs::read(&path).is_ok_and(|bytes| bytes == document.bytes) {
            continue;
        }
        write_atomically(&path, &document.bytes).map_err(|e| {
            DeliveryError::Copy(format!(
                "không chép được {} vào {}: {e}",
                document.name,
                target.display()
            ))
        })?;
        copied.push(document.name.clone());
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_once_and_again_only_when_changed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let docs = |bytes: &[u8]| {
            vec![Attachment {
                name: "bao-cao.docx".into(),
                bytes: bytes.to_vec(),
            }]
        };
        assert_eq!(
            copy_documents(dir.path(), "2025-11", &docs(b"a")).expect("copy"),
            ["bao-cao.docx"]
        );
        assert!(copy_documents(dir.path(), "2025-11", &docs(b"a"))
            .expect("copy")
            .is_empty());
        assert_eq!(
            copy_documents(dir.path(), "2025-11", &docs(b"b")).expect("copy"),
            ["bao-cao.docx"]
        );
        assert_eq!(
            std::fs::read(dir.path().join("2025-11/bao-cao.docx")).expect("read"),
            b"b"
        );
    }
}
