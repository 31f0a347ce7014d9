//! The targets workbook (`chi-tieu-YYYY-MM.xlsx`): a summary of every indicator, one sheet
//! per level with wards as rows and indicators as columns (đạt / chưa đạt coloured by
//! conditional formatting, a chart per key indicator against its target line), the schools
//! below target and the schools that have not reported.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartType, ConditionalFormatFormula, DocProperties, ExcelDateTime,
    Format, Workbook, Worksheet, XlsxError,
};

use crate::render::xlsx::chart_grid::ChartGrid;
use crate::render::xlsx::format::TableFormats as Formats;
use crate::render::xlsx::list::list_body;
use crate::render::xlsx::row_height::{
    column_pixels, height, height_in, height_of_lines, lines, Font,
};
use crate::schools::indicators::{Figure, PreparedTargets, SchoolBelow, TargetResults, Verdict};
use crate::schools::{Direction, Indicator, Level, Ownership};
use crate::vn::number::{format_int, format_percent_tenths, share_tenths};
use crate::vn::Period;

/// Names of the fixed sheets, for readers and tests.
pub mod sheets {
    pub const SUMMARY: &str = "Tổng hợp";
    pub const BELOW_TARGET: &str = "Trường chưa đạt";
    pub const ABSENT: &str = "Chưa nộp";
}

/// The targets workbook with every sheet filled, to be packed into the file's bytes.
pub struct FilledTargets(Workbook);

impl FilledTargets {
    /// Packs the workbook (deflate): one core's work, so the caller can have the other make
    /// what needs the finished targets meanwhile (the report).
    pub fn pack(mut self) -> Result<Vec<u8>> {
        self.0.save_to_buffer().context("tạo tệp XLSX chỉ tiêu")
    }

    /// Packs the workbook on a thread of its own, so that the finished documents can go to
    /// disk meanwhile: it is the last document done, and at 2,000 schools the writing,
    /// flushing and hashing of the others took about 4 ms after it. Packs here instead
    /// should no thread be had.
    pub fn pack_aside(self) -> Packing {
        let started = Instant::now();
        let slot = Arc::new(Mutex::new(Some(self)));
        let theirs = Arc::clone(&slot);
        let spawned = std::thread::Builder::new()
            .name("dong-goi-chi-tieu".into())
            .spawn(move || {
                let filled = theirs.lock().unwrap_or_else(|e| e.into_inner()).take();
                filled.map(|filled| (filled.pack(), Instant::now()))
            });
        match spawned {
            Ok(thread) => Packing::Aside { thread, started },
            Err(_) => {
                // The closure went with the failed spawn; the workbook is still here.
                let filled = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
                let packed = filled.map(|filled| (filled.pack(), Instant::now()));
                Packing::Done { packed, started }
            }
        }
    }
}

/// The targets workbook being packed ([`FilledTargets::pack_aside`]).
pub enum Packing {
    /// On its own thread, which gives the bytes and when it was done.
    Aside {
        thread: std::thread::JoinHandle<Option<(Result<Vec<u8>>, Instant)>>,
        started: Instant,
    },
    /// Already packed here, no thread having been had.
    Done {
        packed: Option<(Result<Vec<u8>>, Instant)>,
        started: Instant,
    },
}

impl Packing {
    /// Waits for the packed bytes; returns them with how long the packing took and when it
    /// ended.
    pub fn finish(self) -> Result<(Vec<u8>, Duration, Instant)> {
        let (packed, started) = match self {
            Packing::Aside { thread, started } => (
                thread.join().map_err(|_| {
                    anyhow::anyhow!("lỗi nội bộ: luồng đóng gói tệp XLSX chỉ tiêu dừng bất thường")
                })?,
                started,
            ),
            Packing::Done { packed, started } => (packed, started),
        };
        let (bytes, ended) = packed
            .ok_or_else(|| anyhow::anyhow!("lỗi nội bộ: tệp XLSX chỉ tiêu không được đóng gói"))?;
        Ok((bytes?, ended.duration_since(started), ended))
    }
}

/// Fills the targets workbook while the targets are finished: the list of schools below
/// target (most of the work, 80,000 rows at 50,000 schools) is written on one side while the
/// sums are made and the level sheets and the list of absent schools filled on the other. Returns the finished targets with
/// the workbook. `whole_area` heads the whole area's column (`Toàn tỉnh`:
/// [`crate::config::Organisation::whole_area`]).
///
/// `after_sums` is called on the side that made the sums, once they and their sheets are
/// done: where to start work that does not need the targets (the companion workbook), so
/// that it runs while the list is finished and the workbook packed. Started at once instead,
/// the free core took it first (or took it up while polars summed), the list waited for the
/// sums, and the packing ran alone at the end (2,000 schools: 65–71 ms from the end of
/// reading to the last document; 40–47 ms like this; 4 runs each).
pub fn fill_targets_xlsx(
    prepared: PreparedTargets<'_>,
    period: Period,
    whole_area: &str,
    after_sums: impl FnOnce() + Send,
) -> Result<(TargetResults, FilledTargets)> {
    let PreparedTargets {
        indicators,
        levels,
        below_target,
        rest,
    } = prepared;
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    // This workbook carries the long lists and is the last document to finish; deflate level
    // 2 instead of 6 packs it about a quarter faster for a file about a fifth larger (2,000
    // schools: 325 KB against 269 KB; README, "Speed at scale").
    workbook.set_zip_compression_level(2);
    let stamp = ExcelDateTime::from_ymd(period.year as u16, period.month as u8, 1)
        .context("tạo tệp XLSX chỉ tiêu")?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Kết quả thực hiện các chỉ tiêu {}",
                period.in_text()
            ))
            .set_author("baocao")
            .set_creation_datetime(&stamp),
    );
    // Every sheet is added first, in the order readers see them, then filled.
    workbook.add_worksheet();
    for _ in &levels {
        workbook.add_worksheet();
    }
    // The two lists grow with the number of schools: their rows go to a temporary file as
    // they are written, not into memory. Their text goes into the cells, not into the shared
    // strings: most of it is a school's own name and code, which a shared-strings table only
    // hashes and stores once more (10,000 schools: documents in 156–170 ms instead of
    // 188–250, 3 runs each; 50,000: 804–838 instead of 884–979, 2 runs; the file 1.60 MB
    // instead of 1.46). Nothing is then shared between the sheets as they are filled, so
    // the lists can be filled side by side and the bytes still come out the same every run.
    for _ in 0..2 {
        workbook
            .add_worksheet_with_constant_memory()
            .context("tạo tệp XLSX chỉ tiêu")?;
    }
    let results = {
        let (tables, lists) = workbook.worksheets_mut().split_at_mut(1 + levels.len());
        let (below, absent) = lists.split_at_mut(1);
        let (summary, level_sheets) = tables.split_at_mut(1);
        let formats = &formats;
        let (listed, finished) = rayon::join(
            || below_target_sheet(&mut below[0], indicators, &below_target, formats),
            || -> Result<TargetResults> {
                let results = rest.finish()?;
                for (sheet, level) in level_sheets.iter_mut().zip(&levels) {
                    level_sheet(sheet, &results, *level, period, formats)?;
                }
                after_sums();
                absent_sheet(&mut absent[0], &results, formats)?;
                Ok(results)
            },
        );
        listed.context("tạo tệp XLSX chỉ tiêu")?;
        let mut results = finished.context("tạo tệp XLSX chỉ tiêu")?;
        results.below_target = below_target;
        debug_assert_eq!(results.levels(), levels);
        summary_sheet(&mut summary[0], &results, period, whole_area, formats)
            .context("tạo tệp XLSX chỉ tiêu")?;
        results
    };
    Ok((results, FilledTargets(workbook)))
}

/// Headers at `row`, column widths, frozen panes below them, and the print set-up a clerk
/// would otherwise do: A4 landscape, one page wide, header rows on every page. Returns the
/// widths, for the heights of the rows below.
fn table_header(
    sheet: &mut Worksheet,
    row: u32,
    titles: &[(&str, f64)],
    formats: &Formats,
) -> Result<Vec<f64>, XlsxError> {
    for (col, (title, width)) in titles.iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, *title, &formats.header)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_row_height(row, height_in(Font::BOLD, titles).max(48.0))?;
    sheet.set_freeze_panes(row + 1, 0)?;
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(row, row)?
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&CTrang &P/&N");
    Ok(titles.iter().map(|(_, width)| *width).collect())
}

fn coverage_text(results: &TargetResults) -> String {
    if results.schools_expected == 0 {
        return format!(
            "Số trường có báo cáo được tổng hợp: {} (chưa cấu hình danh sách trường)",
            format_int(results.schools_reported as u64)
        );
    }
    let rate = share_tenths(
        results.schools_reported as u64,
        results.schools_expected as u64,
    )
    .map(format_percent_tenths)
    .unwrap_or_default();
    format!(
        "Số trường có báo cáo được tổng hợp: {}/{} ({rate}); chưa nộp hoặc có lỗi: {}",
        format_int(results.schools_reported as u64),
        format_int(results.schools_expected as u64),
        format_int(results.absent.len() as u64)
    )
}

fn summary_sheet(
    sheet: &mut Worksheet,
    results: &TargetResults,
    period: Period,
    whole_area: &str,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(sheets::SUMMARY)?;
    sheet.write_string_with_format(
        0,
        0,
        format!("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {}", period.heading()),
        &formats.title,
    )?;
    sheet.write_string(1, 0, coverage_text(results))?;
    let header_row = 3;
    let widths = table_header(
        sheet,
        header_row,
        &[
            ("TT", 5.0),
            ("Chỉ tiêu", 40.0),
            ("Áp dụng", 18.0),
            ("Mục tiêu", 10.0),
            ("Công lập", 24.0),
            ("Ngoài công lập", 24.0),
            (whole_area, 26.0),
            ("Tỷ lệ", 9.0),
            ("Đánh giá", 14.0),
            ("Số trường tính", 10.0),
            ("Số trường chưa đạt", 10.0),
            ("Căn cứ", 50.0),
        ],
        formats,
    )?;
    let width = |col: usize| widths[col];
    for (n, indicator) in results.indicators.iter().enumerate() {
        let row = header_row + 1 + n as u32;
        let city = results.city[n];
        sheet.write_number_with_format(row, 0, (n + 1) as f64, &formats.integer)?;
        let scope = indicator.scope_text();
        let mut texts: Vec<(usize, String)> = vec![
            (1, indicator.name.clone()),
            (2, scope.clone()),
            (11, indicator.source.clone()),
        ];
        sheet.write_string_with_format(row, 1, &indicator.name, &formats.wrap)?;
        sheet.write_string_with_format(row, 2, scope, &formats.wrap)?;
        sheet.write_string_with_format(row, 3, indicator.target_text(), &formats.text)?;
        for (col, ownership) in [(4u16, Ownership::Public), (5, Ownership::Private)] {
            let text = results
                .by_ownership
                .get(&ownership)
                .map(|f| f[n])
                .filter(|f| f.schools > 0)
                .map(|f| f.text(indicator))
                .unwrap_or_default();
            sheet.write_string_with_format(row, col, &text, &formats.wrap)?;
            texts.push((col as usize, text));
        }
        let city_text = if city.schools > 0 {
            city.text(indicator)
        } else {
            String::new()
        };
        sheet.write_string_with_format(row, 6, &city_text, &formats.wrap)?;
        texts.push((6, city_text));
        let wrapped: Vec<(&str, f64)> =
            texts.iter().map(|(c, t)| (t.as_str(), width(*c))).collect();
        write_rate(sheet, row, 7, &city, &formats.percent, formats)?;
        let verdict = if city.schools > 0 {
            city.verdict(indicator).label()
        } else {
            "Không có trường"
        };
        sheet.write_string_with_format(row, 8, verdict, &formats.text)?;
        sheet.write_number_with_format(row, 9, city.schools as f64, &formats.integer)?;
        let below = results
            .below_target
            .iter()
            .filter(|b| b.indicator == n)
            .count();
        sheet.write_number_with_format(row, 10, below as f64, &formats.integer)?;
        sheet.write_string_with_format(row, 11, &indicator.source, &formats.wrap)?;
        sheet.set_row_height(row, height(&wrapped))?;
    }
    let last = header_row + results.indicators.len() as u32;
    verdict_colours(sheet, header_row + 1, 8, last, 8, formats)?;
    Ok(())
}

/// Colours the `Đánh giá` text cells: green for Đạt, red for Chưa đạt.
fn verdict_colours(
    sheet: &mut Worksheet,
    first_row: u32,
    first_col: u16,
    last_row: u32,
    last_col: u16,
    formats: &Formats,
) -> Result<(), XlsxError> {
    if last_row < first_row {
        return Ok(());
    }
    let cell = rust_xlsxwriter::utility::row_col_to_cell(first_row, first_col);
    sheet.add_conditional_format(
        first_row,
        first_col,
        last_row,
        last_col,
        &ConditionalFormatFormula::new()
            .set_rule(format!("={cell}=\"{}\"", Verdict::Met.label()).as_str())
            .set_format(formats.met.clone()),
    )?;
    sheet.add_conditional_format(
        first_row,
        first_col,
        last_row,
        last_col,
        &ConditionalFormatFormula::new()
            .set_rule(format!("={cell}=\"{}\"", Verdict::Missed.label()).as_str())
            .set_format(formats.missed.clone()),
    )?;
    Ok(())
}

/// A rate as a number cell (a fraction shown as a percentage), blank when not computable.
fn write_rate(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    figure: &Figure,
    format: &Format,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match figure.rate() {
        Some(rate) => sheet.write_number_with_format(row, col, rate, format)?,
        None => sheet.write_blank(
            row,
            col,
            if figure.schools > 0 {
                format
            } else {
                &formats.text
            },
        )?,
    };
    Ok(())
}

/// Column widths (characters) of a level sheet: wards, schools reporting, each indicator;
/// and of a column left at its default width.
const LEVEL_WARD_WIDTH: f64 = 26.0;
const LEVEL_COUNT_WIDTH: f64 = 11.0;
const LEVEL_INDICATOR_WIDTH: f64 = 16.0;
const DEFAULT_COLUMN_WIDTH: f64 = 8.43;

fn level_sheet(
    sheet: &mut Worksheet,
    results: &TargetResults,
    level: Level,
    period: Period,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let name = level.label();
    sheet.set_name(name)?;
    let indicators = results.indicators_of(level);
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "CHỈ TIÊU CẤP {} THEO XÃ/PHƯỜNG — {}",
            name.to_uppercase(),
            period.heading()
        ),
        &formats.title,
    )?;
    sheet.write_string(
        1,
        0,
        "Tỷ lệ theo từng xã/phường; ô xanh: đạt mục tiêu, ô đỏ: chưa đạt, ô trống: không tính được (mẫu số bằng 0)",
    )?;
    let header_row = 3u32;
    let mut titles: Vec<(String, f64)> = vec![
        ("Xã/phường".to_string(), LEVEL_WARD_WIDTH),
        ("Số trường báo cáo".to_string(), LEVEL_COUNT_WIDTH),
    ];
    titles.extend(
        indicators
            .iter()
            .map(|(_, i)| (i.name.clone(), LEVEL_INDICATOR_WIDTH)),
    );
    let borrowed: Vec<(&str, f64)> = titles.iter().map(|(t, w)| (t.as_str(), *w)).collect();
    table_header(sheet, header_row, &borrowed, formats)?;
    // The targets, under the headers.
    let target_row = header_row + 1;
    sheet.write_string_with_format(target_row, 0, "Mục tiêu", &formats.total_text)?;
    sheet.write_string_with_format(target_row, 1, "", &formats.total_text)?;
    for (k, (_, indicator)) in indicators.iter().enumerate() {
        sheet.write_string_with_format(
            target_row,
            2 + k as u16,
            indicator.target_text(),
            &formats.total_text,
        )?;
    }
    sheet.set_freeze_panes(target_row + 1, 1)?;
    sheet.set_repeat_rows(header_row, target_row)?;

    let wards: Vec<usize> = results
        .coverage
        .keys()
        .filter(|(l, _)| *l == level)
        .map(|(_, w)| *w)
        .collect();
    let first = target_row + 1;
    for (r, ward) in wards.iter().enumerate() {
        let row = first + r as u32;
        let coverage = results.coverage[&(level, *ward)];
        sheet.write_string_with_format(row, 0, &results.wards[*ward], &formats.text)?;
        sheet.write_string_with_format(
            row,
            1,
            format!(
                "{}/{}",
                format_int(coverage.reported),
                format_int(coverage.expected)
            ),
            &formats.text,
        )?;
        let figures = results.by_level_ward.get(&(level, *ward));
        for (k, (n, _)) in indicators.iter().enumerate() {
            let figure = figures.map(|f| f[*n]).unwrap_or_default();
            write_rate(sheet, row, 2 + k as u16, &figure, &formats.percent, formats)?;
        }
    }
    let total_row = first + wards.len() as u32;
    sheet.write_string_with_format(
        total_row,
        0,
        format!("Toàn cấp {}", name.to_lowercase()),
        &formats.total_text,
    )?;
    let (reported, expected) = wards.iter().fold((0, 0), |(r, e), w| {
        let c = results.coverage[&(level, *w)];
        (r + c.reported, e + c.expected)
    });
    sheet.write_string_with_format(
        total_row,
        1,
        format!("{}/{}", format_int(reported), format_int(expected)),
        &formats.total_text,
    )?;
    let level_figures = results.by_level.get(&level);
    for (k, (n, _)) in indicators.iter().enumerate() {
        let figure = level_figures.map(|f| f[*n]).unwrap_or_default();
        write_rate(
            sheet,
            total_row,
            2 + k as u16,
            &figure,
            &formats.total_percent,
            formats,
        )?;
    }
    // Đạt / chưa đạt per indicator column, by its own target and direction.
    for (k, (_, indicator)) in indicators.iter().enumerate() {
        let Some(target) = indicator.target_hundredths else {
            continue;
        };
        let col = 2 + k as u16;
        let cell = rust_xlsxwriter::utility::row_col_to_cell(first, col);
        let target = target as f64 / 10_000.0;
        let (met, missed) = match indicator.direction {
            Direction::AtLeast => (">=", "<"),
            Direction::AtMost => ("<=", ">"),
        };
        for (operator, format) in [(met, &formats.met), (missed, &formats.missed)] {
            sheet.add_conditional_format(
                first,
                col,
                total_row,
                col,
                &ConditionalFormatFormula::new()
                    .set_rule(format!("=AND(ISNUMBER({cell}),{cell}{operator}{target})").as_str())
                    .set_format(format.clone()),
            )?;
        }
    }
    let header_height = height_in(Font::BOLD, &borrowed).max(96.0);
    sheet.set_row_height(header_row, header_height)?;
    charts(sheet, name, &indicators, first, total_row, formats)?;
    Ok(())
}

/// Pixels between two charts, and the largest and smallest chart width.
const CHART_GAP: u32 = 16;
const CHART_WIDTH: u32 = 640;
const CHART_MIN_WIDTH: u32 = 440;
const CHART_HEIGHT: u32 = 320;

/// A column chart of the wards' rates per key indicator, with the target as a line. The
/// target values sit in hidden columns after the table, which the chart is told to plot.
/// The charts go below the table, two side by side when the table is wide enough for two
/// (narrowed to fit its width), each anchored where the previous one ended
/// ([`ChartGrid`]), so none covers the table or another chart.
fn charts(
    sheet: &mut Worksheet,
    sheet_name: &str,
    indicators: &[(usize, &Indicator)],
    first: u32,
    total_row: u32,
    formats: &Formats,
) -> Result<(), XlsxError> {
    if total_row == first {
        return Ok(());
    }
    let last_ward = total_row - 1;
    let table_columns = 2 + indicators.len();
    let helper_start = table_columns as u16 + 1;
    let charted: Vec<(usize, &Indicator, i64)> = indicators
        .iter()
        .enumerate()
        .filter_map(|(k, (_, indicator))| {
            indicator
                .target_hundredths
                .filter(|_| indicator.chart)
                .map(|target| (k, *indicator, target as i64))
        })
        .collect();
    // The columns as set on the sheet: the table's, one blank, then the hidden helpers.
    let mut widths = vec![LEVEL_WARD_WIDTH, LEVEL_COUNT_WIDTH];
    widths.extend(std::iter::repeat_n(LEVEL_INDICATOR_WIDTH, indicators.len()));
    widths.push(DEFAULT_COLUMN_WIDTH);
    widths.extend(std::iter::repeat_n(0.0, charted.len()));
    let mut grid = ChartGrid::new(total_row + 3, &widths, table_columns, CHART_GAP);
    let table_px: u32 = widths
        .iter()
        .take(table_columns)
        .map(|w| column_pixels(*w) as u32)
        .sum();
    let side_by_side = (table_px.saturating_sub(CHART_GAP) / 2).min(CHART_WIDTH);
    let chart_width = if charted.len() > 1 && side_by_side >= CHART_MIN_WIDTH {
        side_by_side
    } else {
        CHART_WIDTH
    };
    for (placed, (k, indicator, target)) in charted.into_iter().enumerate() {
        let helper = helper_start + placed as u16;
        sheet.write_string_with_format(
            first - 1,
            helper,
            format!("Mục tiêu: {}", indicator.name),
            &formats.text,
        )?;
        for row in first..=last_ward {
            sheet.write_number(row, helper, target as f64 / 10_000.0)?;
        }
        sheet.set_column_hidden(helper)?;
        let col = 2 + k as u16;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name("Tỷ lệ")
            .set_categories((sheet_name, first, 0, last_ward, 0))
            .set_values((sheet_name, first, col, last_ward, col));
        let mut line = Chart::new(ChartType::Line);
        line.add_series()
            .set_name(&format!("Mục tiêu {}", indicator.target_text()))
            .set_categories((sheet_name, first, 0, last_ward, 0))
            .set_values((sheet_name, first, helper, last_ward, helper));
        chart.combine(&line);
        chart.title().set_name(&indicator.name);
        chart.y_axis().set_num_format("0%");
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.show_hidden_data();
        chart.set_width(chart_width).set_height(CHART_HEIGHT);
        let at = grid.place(chart_width, CHART_HEIGHT).anchor;
        sheet.insert_chart_with_offset(at.row, at.col, &chart, at.x_offset, at.y_offset)?;
    }
    Ok(())
}

fn below_target_sheet(
    sheet: &mut Worksheet,
    indicators: &[Indicator],
    below_target: &[SchoolBelow],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(sheets::BELOW_TARGET)?;
    table_header(
        sheet,
        0,
        &[
            ("TT", 6.0),
            ("Chỉ tiêu", 36.0),
            ("Mục tiêu", 10.0),
            ("Cấp học", 10.0),
            ("Xã/phường", 22.0),
            ("Mã trường", 14.0),
            ("Tên trường", 36.0),
            ("Kết quả", 26.0),
            ("Tỷ lệ", 9.0),
        ],
        formats,
    )?;
    let f = formats;
    list_body(
        sheet,
        0,
        &[
            &f.list_integer,
            &f.list_wrap,
            &f.list_text,
            &f.list_text,
            &f.list_text,
            &f.list_text,
            &f.list_wrap,
            &f.list_text,
            &f.list_percent,
        ],
        below_target.len() as u32,
    )?;
    // What each indicator's rows (thousands at 50,000 schools) repeat: its target as printed
    // and the lines its name takes, made once.
    let repeated: Vec<(String, usize)> = indicators
        .iter()
        .map(|i| (i.target_text(), lines(&i.name, 36.0, Font::BODY)))
        .collect();
    for (n, below) in below_target.iter().enumerate() {
        let row = 1 + n as u32;
        let indicator = &indicators[below.indicator];
        let (target, name_lines) = &repeated[below.indicator];
        sheet.write_number(row, 0, (n + 1) as f64)?;
        sheet.write_string(row, 1, &indicator.name)?;
        sheet.write_string(row, 2, target)?;
        sheet.write_string(row, 3, below.school.level.label())?;
        sheet.write_string(row, 4, &below.school.ward)?;
        sheet.write_string(row, 5, &below.school.code)?;
        sheet.write_string(row, 6, &below.school.name)?;
        let result = below.figure.text(indicator);
        sheet.write_string(row, 7, &result)?;
        let school_lines = lines(&below.school.name, 36.0, Font::BODY);
        sheet.set_row_height(
            row,
            height_of_lines(Font::BODY, school_lines.max(*name_lines)),
        )?;
        if let Some(rate) = below.figure.rate() {
            sheet.write_number(row, 8, rate)?;
        }
    }
    let last = below_target.len() as u32;
    sheet.autofilter(0, 0, last.max(1), 8)?;
    Ok(())
}

fn absent_sheet(
    sheet: &mut Worksheet,
    results: &TargetResults,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(sheets::ABSENT)?;
    table_header(
        sheet,
        0,
        &[
            ("TT", 6.0),
            ("Xã/phường", 22.0),
            ("Mã trường", 14.0),
            ("Tên trường", 40.0),
            ("Cấp học", 10.0),
            ("Loại hình", 16.0),
            ("Tình trạng", 24.0),
        ],
        formats,
    )?;
    let f = formats;
    list_body(
        sheet,
        0,
        &[
            &f.list_integer,
            &f.list_text,
            &f.list_text,
            &f.list_wrap,
            &f.list_text,
            &f.list_text,
            &f.list_text,
        ],
        results.absent.len() as u32,
    )?;
    for (n, (school, absence)) in results.absent.iter().enumerate() {
        let row = 1 + n as u32;
        sheet.write_number(row, 0, (n + 1) as f64)?;
        sheet.write_string(row, 1, &school.ward)?;
        sheet.write_string(row, 2, &school.code)?;
        sheet.write_string(row, 3, &school.name)?;
        sheet.set_row_height(row, height(&[(&school.name, 40.0)]))?;
        sheet.write_string(row, 4, school.level.label())?;
        sheet.write_string(row, 5, school.ownership.label())?;
        sheet.write_string(row, 6, absence.label())?;
    }
    let last = results.absent.len() as u32;
    sheet.autofilter(0, 0, last.max(1), 6)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packing_that_panics_or_never_ran_is_an_error_not_a_crash() {
        let started = Instant::now();
        let thread = std::thread::spawn(|| -> Option<(Result<Vec<u8>>, Instant)> {
            panic!("packing failed");
        });
        let error = Packing::Aside { thread, started }
            .finish()
            .expect_err("a panic is an error");
        assert!(error.to_string().contains("dừng bất thường"), "{error}");
        let error = Packing::Done {
            packed: None,
            started,
        }
        .finish()
        .expect_err("nothing packed");
        assert!(error.to_string().contains("không được đóng gói"), "{error}");
        let (bytes, took, ended) = Packing::Done {
            packed: Some((Ok(b"PK".to_vec()), Instant::now())),
            started,
        }
        .finish()
        .expect("packed");
        assert_eq!(bytes, b"PK");
        assert_eq!(ended.duration_since(started), took);
        let failed = Packing::Done {
            packed: Some((
                Err(anyhow::anyhow!("tạo tệp XLSX chỉ tiêu")),
                Instant::now(),
            )),
            started,
        };
        assert!(failed.finish().is_err());
    }

    #[test]
    fn a_workbook_packed_aside_is_a_whole_xlsx() {
        let mut workbook = Workbook::new();
        workbook
            .add_worksheet()
            .write_string(0, 0, "Trường chưa đạt")
            .expect("cell");
        let (bytes, _, _) = FilledTargets(workbook)
            .pack_aside()
            .finish()
            .expect("packed");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        assert!(archive.by_name("xl/worksheets/sheet1.xml").is_ok());
    }
}
