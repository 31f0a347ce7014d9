//! The binary parts of an `.xlsb` workbook (BIFF12 records: a type and a length, each a
//! variable-length number). calamine sizes its record buffer from each record's declared
//! length before reading it, so a crafted length of 256 MB is 256 MB allocated; every record
//! must therefore fit in the part that holds it.

use super::GuardError;

/// Walks the records of a part; refuses one that claims to run past the part's end.
pub(super) fn check_records(content: &[u8], part: &str) -> Result<(), GuardError> {
    let damaged = || GuardError::Corrupt(format!("phần «{part}» có bản ghi dài hơn phần chứa nó"));
    let mut at = 0usize;
    while at < content.len() {
        // The type: one or two bytes, the high bit saying another follows.
        let mut kind_bytes = 0;
        loop {
            let byte = *content.get(at).ok_or_else(damaged)?;
            at += 1;
            kind_bytes += 1;
            if byte & 0x80 == 0 || kind_bytes == 2 {
                break;
            }
        }
        // The length: up to four bytes of seven bits.
        let mut len = 0usize;
        for i in 0..4 {
            let byte = *content.get(at).ok_or_else(damaged)?;
            at += 1;
            len |= usize::from(byte & 0x7F) << (7 * i);
            if byte & 0x80 == 0 {
                break;
            }
        }
        at = at
            .checked_add(len)
            .filter(|end| *end <= content.len())
            .ok_or_else(damaged)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_must_fit_in_their_part() {
        // BrtBeginSheet (0x81 0x01, length 0), then a BrtRowHdr (0x00) of 3 bytes.
        let good = [0x81, 0x01, 0x00, 0x00, 0x03, 1, 2, 3];
        assert_eq!(check_records(&good, "xl/worksheets/sheet1.bin"), Ok(()));
        // A record claiming 2^28 − 1 bytes in an eight-byte part.
        let crafted = [0x00, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3];
        let refused = check_records(&crafted, "xl/worksheets/sheet1.bin").expect_err("refused");
        assert!(refused.to_string().contains("sheet1.bin"), "{refused}");
        // Cut inside a header.
        assert!(check_records(&[0x81], "x.bin").is_err());
    }
}
