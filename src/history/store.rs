//! Writing and reading one period's figures as Parquet (polars). A period's file is replaced
//! atomically (temporary name, then rename); no other period's file is touched.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use polars::prelude::{Column, DataFrame, DataType, ParquetReader, ParquetWriter, SerReader};

use crate::model::{StandardFigures, STANDARD_CODES};
use crate::vn::Period;

/// The history folder's name inside the output folder.
pub const HISTORY_DIR: &str = "lich-su";

/// One period's figures: one row per reporter (unit code, or the department's code).
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodFigures {
    pub period: Period,
    pub rows: Vec<(String, StandardFigures)>,
}

impl PeriodFigures {
    /// The department's own totals, when its figures were accepted that period: the only
    /// base a comparison over time may use without saying otherwise.
    pub fn department_totals(&self, department_code: &str) -> Option<StandardFigures> {
        self.rows
            .iter()
            .find(|(code, _)| code == department_code)
            .map(|(_, figures)| *figures)
    }

    /// The department's totals: its own row when it reported, else the units' sum.
    pub fn totals(&self, department_code: &str) -> StandardFigures {
        if let Some((_, figures)) = self.rows.iter().find(|(code, _)| code == department_code) {
            return *figures;
        }
        let mut sum = StandardFigures::default();
        for (code, _) in STANDARD_CODES {
            let total = self.rows.iter().filter_map(|(_, f)| f.get(code)).sum();
            sum.set(code, total);
        }
        sum
    }
}

fn path_of(output_dir: &Path, period: Period) -> PathBuf {
    output_dir
        .join(HISTORY_DIR)
        .join(format!("{}.parquet", period.slug()))
}

fn column_name(code: &str) -> String {
    code.to_lowercase()
}

/// Writes (or replaces) the history of one period.
pub fn write_period(output_dir: &Path, figures: &PeriodFigures) -> Result<PathBuf> {
    let folder = output_dir.join(HISTORY_DIR);
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("không tạo được {}", folder.display()))?;
    let mut columns = vec![
        Column::new("ky".into(), vec![figures.period.slug(); figures.rows.len()]),
        Column::new(
            "don_vi".into(),
            figures
                .rows
                .iter()
                .map(|(c, _)| c.clone())
                .collect::<Vec<_>>(),
        ),
    ];
    for (code, _) in STANDARD_CODES {
        let values: Vec<u64> = figures
            .rows
            .iter()
            .map(|(_, f)| f.get(code).unwrap_or(0))
            .collect();
        columns.push(Column::new(column_name(code).into(), values));
    }
    let mut frame = DataFrame::new_infer_height(columns).context("dựng bảng lịch sử")?;
    let target = path_of(output_dir, figures.period);
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .finish(&mut frame)
        .with_context(|| format!("không ghi được {}", target.display()))?;
    crate::deliver::atomic::write_atomically(&target, &bytes)
        .with_context(|| format!("không ghi được {}", target.display()))?;
    Ok(target)
}

/// Reads the history of one period, `None` when it was never recorded.
pub fn read_period(output_dir: &Path, period: Period) -> Result<Option<PeriodFigures>> {
    let path = path_of(output_dir, period);
    if !path.exists() {
        return Ok(None);
    }
    let file = File::open(&path).with_context(|| format!("không đọc được {}", path.display()))?;
    let frame = ParquetReader::new(file)
        .finish()
        .with_context(|| format!("tệp lịch sử {} bị hỏng", path.display()))?;
    let codes = frame
        .column("don_vi")
        .context("thiếu cột don_vi")?
        .str()
        .context("cột don_vi")?;
    let mut rows: Vec<(String, StandardFigures)> = (0..codes.len())
        .map(|i| {
            (
                codes.get(i).unwrap_or_default().to_string(),
                StandardFigures::default(),
            )
        })
        .collect();
    for (code, _) in STANDARD_CODES {
        let column = frame
            .column(&column_name(code))
            .with_context(|| format!("thiếu cột {code}"))?
            .cast(&DataType::UInt64)
            .with_context(|| format!("cột {code}"))?;
        let values = column.u64().with_context(|| format!("cột {code}"))?;
        for (index, row) in rows.iter_mut().enumerate() {
            row.1.set(code, values.get(index).unwrap_or(0));
        }
    }
    Ok(Some(PeriodFigures { period, rows }))
}

/// Removes temporary files left by a run killed while writing history. Call with the run
/// lock held.
pub fn remove_temporaries(output_dir: &Path) -> Result<usize> {
    let folder = output_dir.join(HISTORY_DIR);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Ok(0);
    };
    let mut removed = 0;
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') && name.ends_with(".tmp") {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("không xoá được {}", entry.path().display()))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// The periods held, oldest first.
pub fn list_periods(output_dir: &Path) -> Result<Vec<Period>> {
    let folder = output_dir.join(HISTORY_DIR);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Ok(Vec::new());
    };
    let mut periods: Vec<Period> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.strip_suffix(".parquet")
                .and_then(|slug| slug.parse::<Period>().ok())
        })
        .collect();
    periods.sort();
    Ok(periods)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(vb_den: u64) -> StandardFigures {
        StandardFigures {
            vb_den,
            vb_di: 7,
            tthc_tiep_nhan: 3,
            tthc_da_gq: 2,
            tthc_dang_gq: 1,
            ..StandardFigures::default()
        }
    }

    #[test]
    fn a_period_round_trips_and_replacing_it_leaves_others_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let november = Period::new(2025, 11).expect("valid");
        let december = Period::new(2025, 12).expect("valid");
        let first = PeriodFigures {
            period: november,
            rows: vec![("SO".into(), figures(3675)), ("VP".into(), figures(1231))],
        };
        write_period(dir.path(), &first).expect("write");
        write_period(
            dir.path(),
            &PeriodFigures {
                period: december,
                rows: vec![("SO".into(), figures(10))],
            },
        )
        .expect("write");
        let december_bytes = std::fs::read(path_of(dir.path(), december)).expect("read");
        assert_eq!(
            read_period(dir.path(), november).expect("read"),
            Some(first)
        );

        let replaced = PeriodFigures {
            period: november,
            rows: vec![("SO".into(), figures(4000))],
        };
        write_period(dir.path(), &replaced).expect("rewrite");
        assert_eq!(
            read_period(dir.path(), november).expect("read"),
            Some(replaced)
        );
        assert_eq!(
            std::fs::read(path_of(dir.path(), december)).expect("read"),
            december_bytes,
            "other periods untouched"
        );
        assert_eq!(
            list_periods(dir.path()).expect("list"),
            [november, december]
        );
        assert_eq!(
            read_period(dir.path(), Period::new(2024, 1).expect("valid")).expect("read"),
            None
        );
    }

    /// Installed systems keep the history that earlier versions wrote (polars 0.55 with its
    /// lazy engine, zstd pages): the fixture is `lich-su/2025-11.parquet` as a build of
    /// 7ea5f83 wrote it from the bundled input, and it must read back unchanged.
    #[test]
    fn history_written_by_earlier_versions_is_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = dir.path().join(HISTORY_DIR);
        std::fs::create_dir_all(&folder).expect("mkdir");
        std::fs::copy(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/lich-su/2025-11.parquet"
            ),
            folder.join("2025-11.parquet"),
        )
        .expect("copy fixture");
        let november = Period::new(2025, 11).expect("valid");
        assert_eq!(list_periods(dir.path()).expect("list"), [november]);
        let history = read_period(dir.path(), november)
            .expect("read")
            .expect("recorded");
        let department = history.department_totals("SO").expect("SO row");
        assert_eq!((department.vb_den, department.vb_di), (3675, 1032));
        let codes: Vec<&str> = history.rows.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(
            codes,
            [
                "GDMN-GDTH",
                "GDTrH",
                "GDTX-GDNN-DH",
                "TCCB",
                "KHTC",
                "QLCL",
                "VP",
                "SO"
            ]
        );
    }

    #[test]
    fn totals_fall_back_to_the_units_sum() {
        let period = Period::new(2025, 11).expect("valid");
        let with_department = PeriodFigures {
            period,
            rows: vec![("SO".into(), figures(100)), ("VP".into(), figures(40))],
        };
        assert_eq!(with_department.totals("SO").vb_den, 100);
        let units_only = PeriodFigures {
            period,
            rows: vec![("A".into(), figures(40)), ("B".into(), figures(2))],
        };
        assert_eq!(units_only.totals("SO").vb_den, 42);
        assert_eq!(units_only.department_totals("SO"), None);
        assert_eq!(
            with_department.department_totals("SO").map(|t| t.vb_den),
            Some(100)
        );
        assert_eq!(units_only.totals("SO").vb_di, 14);
    }
}
