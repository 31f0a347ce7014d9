//! The package the guard hands to calamine: every part the reader uses, already inflated and
//! stored uncompressed in a fresh zip. The guard must inflate each part to check it anyway;
//! storing what it inflated means no part is inflated twice (calamine's own inflation, with a
//! new decompressor per part, was a third of a bare read of a small form), and calamine only
//! ever sees bytes whose size and content have been checked.

/// A zip archive of stored (uncompressed) entries, built in memory.
pub(super) struct StoredZip {
    bytes: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

/// Where an entry being written starts, for [`StoredZip::finish_entry`].
pub(super) struct OpenEntry {
    header_at: usize,
    data_at: usize,
}

const LOCAL_HEADER: usize = 30;
const CENTRAL_HEADER: usize = 46;
const END_RECORD: usize = 22;
/// Bit 11 of the general-purpose flags: the name is UTF-8.
const UTF8_NAME: u16 = 1 << 11;

impl StoredZip {
    /// An empty archive with room for `content` bytes of data in `entries` entries whose
    /// names take `names` bytes, so that building it allocates once.
    pub(super) fn with_capacity(content: usize, entries: usize, names: usize) -> Self {
        Self {
            bytes: Vec::with_capacity(content + entries * LOCAL_HEADER + names + END_RECORD),
            central: Vec::with_capacity(entries * CENTRAL_HEADER + names),
            entries: 0,
        }
    }

    /// The largest archive this writer makes: no zip64, so every offset fits in 32 bits.
    pub(super) const MAX_BYTES: u64 = u32::MAX as u64;

    /// The most entries an archive without zip64 holds.
    pub(super) const MAX_ENTRIES: usize = u16::MAX as usize;

    /// Starts an entry: the caller then appends its content to [`StoredZip::data`].
    pub(super) fn begin_entry(&mut self, name: &[u8]) -> OpenEntry {
        let header_at = self.bytes.len();
        self.bytes.extend_from_slice(&[0; LOCAL_HEADER]);
        self.bytes.extend_from_slice(name);
        OpenEntry {
            header_at,
            data_at: self.bytes.len(),
        }
    }

    /// The archive's bytes, to append an entry's content to.
    pub(super) fn data(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }

    /// The content written since `entry` began.
    pub(super) fn content(&self, entry: &OpenEntry) -> &[u8] {
        &self.bytes[entry.data_at..]
    }

    /// Ends an entry whose content has the given CRC-32: fills in its local header and
    /// records it for the central directory. `None` when the archive has grown past what a
    /// zip without zip64 can hold.
    pub(super) fn finish_entry(&mut self, entry: OpenEntry, crc: u32) -> Option<()> {
        let name_len = entry.data_at - entry.header_at - LOCAL_HEADER;
        let size = u32::try_from(self.bytes.len() - entry.data_at).ok()?;
        let offset = u32::try_from(entry.header_at).ok()?;
        let name_len16 = u16::try_from(name_len).ok()?;
        self.entries = self.entries.checked_add(1)?;
        let name = self.bytes[entry.data_at - name_len..entry.data_at].to_vec();
        let flags = if name.is_ascii() { 0 } else { UTF8_NAME };

        let mut local = [0u8; LOCAL_HEADER];
        put(&mut local, 0, &0x0403_4b50u32.to_le_bytes());
        put(&mut local, 4, &20u16.to_le_bytes()); // version needed: 2.0
        put(&mut local, 6, &flags.to_le_bytes());
        // 8: method 0 (stored); 10, 12: time and date 0.
        put(&mut local, 14, &crc.to_le_bytes());
        put(&mut local, 18, &size.to_le_bytes());
        put(&mut local, 22, &size.to_le_bytes());
        put(&mut local, 26, &name_len16.to_le_bytes());
        self.bytes[entry.header_at..entry.header_at + LOCAL_HEADER].copy_from_slice(&local);

        let mut central = [0u8; CENTRAL_HEADER];
        put(&mut central, 0, &0x0201_4b50u32.to_le_bytes());
        put(&mut central, 4, &20u16.to_le_bytes()); // made by: 2.0
        put(&mut central, 6, &20u16.to_le_bytes()); // needed: 2.0
        put(&mut central, 8, &flags.to_le_bytes());
        put(&mut central, 16, &crc.to_le_bytes());
        put(&mut central, 20, &size.to_le_bytes());
        put(&mut central, 24, &size.to_le_bytes());
        put(&mut central, 28, &name_len16.to_le_bytes());
        put(&mut central, 42, &offset.to_le_bytes());
        self.central.extend_from_slice(&central);
        self.central.extend_from_slice(&name);
        Some(())
    }

    /// The finished archive: entries, central directory, end record. `None` when it is too
    /// big for a zip without zip64.
    pub(super) fn finish(mut self) -> Option<Vec<u8>> {
        let directory_at = u32::try_from(self.bytes.len()).ok()?;
        let directory_len = u32::try_from(self.central.len()).ok()?;
        self.bytes.extend_from_slice(&self.central);
        let mut end = [0u8; END_RECORD];
        put(&mut end, 0, &0x0605_4b50u32.to_le_bytes());
        put(&mut end, 8, &self.entries.to_le_bytes());
        put(&mut end, 10, &self.entries.to_le_bytes());
        put(&mut end, 12, &directory_len.to_le_bytes());
        put(&mut end, 16, &directory_at.to_le_bytes());
        self.bytes.extend_from_slice(&end);
        u32::try_from(self.bytes.len()).ok()?;
        Some(self.bytes)
    }
}

fn put(buffer: &mut [u8], at: usize, value: &[u8]) {
    buffer[at..at + value.len()].copy_from_slice(value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    #[test]
    fn the_zip_crate_reads_back_every_entry_and_checks_its_crc() {
        let parts: [(&str, &[u8]); 3] = [
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/worksheets/sheet1.xml", &[b'x'; 70_000]),
            ("xl/tr\u{1ea1}ng.xml", b""),
        ];
        let mut zip = StoredZip::with_capacity(70_100, 3, 60);
        for (name, content) in parts {
            let entry = zip.begin_entry(name.as_bytes());
            zip.data().extend_from_slice(content);
            let crc = crc32fast::hash(zip.content(&entry));
            zip.finish_entry(entry, crc).expect("fits");
        }
        let bytes = zip.finish().expect("fits");
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).expect("a zip");
        assert_eq!(archive.len(), 3);
        for (name, content) in parts {
            let mut entry = archive.by_name(name).expect(name);
            assert_eq!(entry.compression(), zip::CompressionMethod::Stored);
            let mut read = Vec::new();
            entry
                .read_to_end(&mut read)
                .expect("reads with a matching CRC");
            assert_eq!(read, content, "{name}");
        }

        // A wrong CRC is caught by the reader: the archive really carries it.
        let mut zip = StoredZip::with_capacity(8, 1, 8);
        let entry = zip.begin_entry(b"a.xml");
        zip.data().extend_from_slice(b"<a/>");
        zip.finish_entry(entry, 0xDEAD_BEEF).expect("fits");
        let bytes = zip.finish().expect("fits");
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).expect("a zip");
        let mut entry = archive.by_name("a.xml").expect("entry");
        assert!(entry.read_to_end(&mut Vec::new()).is_err());
    }
}
