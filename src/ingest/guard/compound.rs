//! The `Workbook` stream of an `.xls` file, taken out of its compound-file container
//! ([MS-CFB]) with bounded work, so that [`super::biff`] can check the sheets before calamine
//! reads them. Every sector number is checked against the file's length and every chain
//! against cycles: a crafted container is refused here, never followed.

/// Sector numbers at or above this mark the end of a chain or a special sector.
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE_SECTOR: u32 = 0xFFFF_FFFF;
const HEADER_DIFAT_ENTRIES: usize = 109;
const DIRECTORY_ENTRY: usize = 128;
const MINI_SECTOR: usize = 64;

/// Why the container could not be walked.
pub type CompoundError = String;

/// calamine reads a stream shorter than this from the mini stream (`cfb.rs`, `get_stream`).
const CALAMINE_MINI_CUTOFF: u64 = 4096;

/// The bytes of the workbook stream (`Workbook`, or `Book` in Excel 5/95 files), or `None`
/// when the container holds none (a password-protected xlsx is such a container).
///
/// Every chain calamine follows is walked first, found as calamine finds it: the directory,
/// the mini stream and the mini FAT whenever the header declares a mini FAT (even with no
/// stream to read from them), the two property streams and the workbook stream, each the first
/// entry of its name. calamine follows a chain until it has the length the directory claims,
/// so one that loops grows without end (found by fuzzing: a 57 kB file took 2.1 GB).
pub fn workbook_stream(bytes: &[u8]) -> Result<Option<Vec<u8>>, CompoundError> {
    let file = Container::open(bytes)?;
    let entries = file.directory()?;
    let mini = if file.mini_fat_sectors > 0 {
        let root = entries.first().ok_or("thư mục rỗng")?;
        Some((file.read_chain(root.start, root.size)?, file.mini_fat()?))
    } else {
        None
    };
    let named = |name: &str| entries.iter().find(|e| e.name.eq_ignore_ascii_case(name));
    for name in ["\u{5}SummaryInformation", "\u{5}DocumentSummaryInformation"] {
        if let Some(entry) = named(name) {
            file.stream(entry, mini.as_ref())?;
        }
    }
    match named("Workbook").or_else(|| named("Book")) {
        Some(entry) => file.stream(entry, mini.as_ref()).map(Some),
        None => Ok(None),
    }
}

struct Container<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    /// Sectors present in the file (a short last one counts).
    sectors: u32,
    fat: Vec<u32>,
    directory_start: u32,
    mini_fat_start: u32,
    mini_fat_sectors: u32,
}

struct Entry {
    name: String,
    start: u32,
    size: u64,
}

impl<'a> Container<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, CompoundError> {
        if bytes.len() < 512 {
            return Err("tệp ngắn hơn phần đầu 512 byte".into());
        }
        let sector_size = match u16_at(bytes, 30) {
            9 => 512,
            12 => 4096,
            other => return Err(format!("cỡ sector không hợp lệ ({other})")),
        };
        let body = bytes.len().saturating_sub(sector_size);
        let sectors = u32::try_from(body.div_ceil(sector_size)).map_err(|_| "tệp quá lớn")?;
        let mut file = Container {
            bytes,
            sector_size,
            sectors,
            fat: Vec::new(),
            directory_start: u32_at(bytes, 48),
            mini_fat_start: u32_at(bytes, 60),
            mini_fat_sectors: u32_at(bytes, 64),
        };
        file.fat = file.load_fat()?;
        Ok(file)
    }

    fn sector(&self, id: u32) -> Result<&'a [u8], CompoundError> {
        if id >= self.sectors {
            return Err(format!("sector {id} nằm ngoài tệp"));
        }
        let start = (id as usize + 1) * self.sector_size;
        let end = (start + self.sector_size).min(self.bytes.len());
        Ok(&self.bytes[start..end])
    }

    /// The FAT: the sectors the header's DIFAT (and its continuation chain) names.
    fn load_fat(&self) -> Result<Vec<u32>, CompoundError> {
        let mut fat_sectors: Vec<u32> = (0..HEADER_DIFAT_ENTRIES)
            .map(|i| u32_at(self.bytes, 76 + 4 * i))
            .filter(|id| *id < MAX_REGULAR_SECTOR)
            .collect();
        let mut next = u32_at(self.bytes, 68);
        let per_sector = self.sector_size / 4 - 1;
        let mut hops = 0;
        while next < MAX_REGULAR_SECTOR {
            hops += 1;
            if hops > self.sectors {
                return Err("chuỗi DIFAT lặp vòng".into());
            }
            let sector = self.sector(next)?;
            fat_sectors.extend(
                (0..per_sector)
                    .map(|i| u32_at(sector, 4 * i))
                    .filter(|id| *id < MAX_REGULAR_SECTOR),
            );
            next = u32_at(sector, 4 * per_sector);
        }
        if fat_sectors.len() > self.sectors as usize {
            return Err("bảng FAT dài hơn tệp".into());
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * self.sector_size / 4);
        for id in fat_sectors {
            let sector = self.sector(id)?;
            fat.extend((0..self.sector_size / 4).map(|i| u32_at(sector, 4 * i)));
        }
        Ok(fat)
    }

    /// The sectors of a chain, in order; refused when it leaves the file or loops.
    fn chain(&self, start: u32) -> Result<Vec<u32>, CompoundError> {
        let mut ids = Vec::new();
        let mut id = start;
        while id != END_OF_CHAIN && id != FREE_SECTOR {
            if id >= self.sectors || ids.len() >= self.sectors as usize {
                return Err(format!("chuỗi sector hỏng tại {id}"));
            }
            ids.push(id);
            id = *self
                .fat
                .get(id as usize)
                .ok_or_else(|| format!("sector {id} không có trong FAT"))?;
        }
        Ok(ids)
    }

    fn read_chain(&self, start: u32, size: u64) -> Result<Vec<u8>, CompoundError> {
        let ids = self.chain(start)?;
        let wanted = usize::try_from(size)
            .unwrap_or(usize::MAX)
            .min(ids.len() * self.sector_size);
        let mut out = Vec::with_capacity(wanted);
        for id in ids {
            let sector = self.sector(id)?;
            let take = sector.len().min(wanted - out.len());
            out.extend_from_slice(&sector[..take]);
            if out.len() == wanted {
                break;
            }
        }
        Ok(out)
    }

    fn directory(&self) -> Result<Vec<Entry>, CompoundError> {
        let raw = self.read_chain(self.directory_start, u64::MAX)?;
        let version4 = self.sector_size == 4096;
        Ok(raw
            .chunks_exact(DIRECTORY_ENTRY)
            .map(|e| {
                let name_bytes = usize::from(u16_at(e, 64)).min(64);
                let units: Vec<u16> = e[..name_bytes]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .take_while(|u| *u != 0)
                    .collect();
                let low = u64::from(u32_at(e, 120));
                let high = if version4 {
                    u64::from(u32_at(e, 124))
                } else {
                    0
                };
                Entry {
                    name: String::from_utf16_lossy(&units),
                    start: u32_at(e, 116),
                    size: low | (high << 32),
                }
            })
            .collect())
    }

    /// A stream's bytes, from the mini stream or the sectors as calamine decides.
    fn stream(
        &self,
        entry: &Entry,
        mini: Option<&(Vec<u8>, Vec<u32>)>,
    ) -> Result<Vec<u8>, CompoundError> {
        if entry.size < CALAMINE_MINI_CUTOFF {
            let (mini_stream, mini_fat) = mini.ok_or("luồng nhỏ nhưng tệp không có mini FAT")?;
            read_mini_chain(mini_stream, mini_fat, entry.start, entry.size)
        } else {
            self.read_chain(entry.start, entry.size)
        }
    }

    fn mini_fat(&self) -> Result<Vec<u32>, CompoundError> {
        let raw = self.read_chain(self.mini_fat_start, u64::MAX)?;
        Ok(raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
}

fn read_mini_chain(
    mini_stream: &[u8],
    mini_fat: &[u32],
    start: u32,
    size: u64,
) -> Result<Vec<u8>, CompoundError> {
    let wanted = usize::try_from(size).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    let mut id = start;
    while id != END_OF_CHAIN && out.len() < wanted {
        let at = id as usize * MINI_SECTOR;
        if at >= mini_stream.len() || out.len() > mini_stream.len() {
            return Err(format!("mini sector {id} nằm ngoài luồng"));
        }
        let end = (at + MINI_SECTOR).min(mini_stream.len());
        let take = (end - at).min(wanted - out.len());
        out.extend_from_slice(&mini_stream[at..at + take]);
        id = *mini_fat
            .get(id as usize)
            .ok_or_else(|| format!("mini sector {id} không có trong mini FAT"))?;
    }
    Ok(out)
}

pub(super) fn u16_at(bytes: &[u8], at: usize) -> u16 {
    bytes
        .get(at..at + 2)
        .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
}

pub(super) fn u32_at(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}
