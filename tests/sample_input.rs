//! The sample input of November 2025 (`samples/2025-11/*.toml`): it parses, it keeps the
//! arithmetic of the department's real November 2025 report, and the Form A workbooks written
//! from it read back as written.

#[path = "support/form_a.rs"]
mod form_a;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, DataType, Range, Reader, Xlsx};
use chrono::NaiveDate;
use form_a::SampleSubmission;
use unicode_normalization::is_nfc;

const UNITS: [&str; 7] = [
    "GDMN-GDTH",
    "GDTrH",
    "GDTX-GDNN-DH",
    "TCCB",
    "KHTC",
    "QLCL",
    "VP",
];

const STANDARD: [&str; 8] = [
    "VB_DEN",
    "VB_DI",
    "VB_CHAM",
    "TTHC_TIEP_NHAN",
    "TTHC_KY_TRUOC",
    "TTHC_DA_GQ",
    "TTHC_DANG_GQ",
    "TTHC_QUA_HAN",
];

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-11")
}

fn samples() -> Vec<SampleSubmission> {
    form_a::load_samples(&samples_dir()).expect("samples/2025-11 loads")
}

fn by_code<'a>(subs: &'a [SampleSubmission], code: &str) -> &'a SampleSubmission {
    subs.iter()
        .find(|s| s.unit_code() == code)
        .unwrap_or_else(|| panic!("no sample for unit {code}"))
}

fn fig(s: &SampleSubmission, code: &str) -> i64 {
    s.figure(code)
        .unwrap_or_else(|| panic!("{}: no figure {code}", s.unit_code()))
}

fn units_sum(subs: &[SampleSubmission], code: &str) -> i64 {
    UNITS.iter().map(|u| fig(by_code(subs, u), code)).sum()
}

#[test]
fn samples_parse_in_report_order() {
    let subs = samples();
    let codes: Vec<&str> = subs.iter().map(|s| s.unit_code()).collect();
    let mut expected = UNITS.to_vec();
    expected.push("SO");
    assert_eq!(
        codes, expected,
        "one sample per unit, sorted by file name in report order"
    );

    let files: BTreeSet<&str> = subs.iter().map(|s| s.file.as_str()).collect();
    assert_eq!(files.len(), subs.len(), "workbook file names are distinct");

    for s in &subs {
        let code = s.unit_code();
        assert_eq!(s.info_value("Kỳ báo cáo"), Some("11/2025"), "{code}");
        assert!(
            s.info_value("Tên đơn vị").is_some_and(|n| !n.is_empty()),
            "{code}"
        );
        assert!(
            s.info_value("Người lập").is_some_and(|n| !n.is_empty()),
            "{code}"
        );
        let made = s.info_value("Ngày lập").unwrap_or_default();
        let made = NaiveDate::parse_from_str(made, "%d/%m/%Y")
            .unwrap_or_else(|e| panic!("{code}: Ngày lập {made:?}: {e}"));
        assert!(
            (NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()
                ..=NaiveDate::from_ymd_opt(2025, 12, 4).unwrap())
                .contains(&made),
            "{code}: Ngày lập {made}"
        );

        for std_code in STANDARD {
            let v = fig(s, std_code);
            assert!(v >= 0, "{code}: {std_code} = {v}");
        }
        let codes: BTreeSet<&str> = s.figures.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes.len(),
            s.figures.len(),
            "{code}: figure codes are unique"
        );

        if code == "SO" {
            assert!(
                !s.assessment.is_empty() && !s.general_tasks.is_empty(),
                "SO text"
            );
        } else {
            assert!(!s.results.is_empty(), "{code}: Kết quả");
            assert!(!s.next_tasks.is_empty(), "{code}: Nhiệm vụ tháng sau");
            assert!(
                s.assessment.is_empty() && s.general_tasks.is_empty(),
                "{code}"
            );
        }

        // Text is NFC and has no stray spacing.
        let mut texts: Vec<&str> = Vec::new();
        texts.extend(s.info.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]));
        texts.extend(
            s.figures
                .iter()
                .flat_map(|f| [&*f.label, &*f.unit, &*f.note]),
        );
        texts.extend(
            s.results
                .iter()
                .chain(&s.next_tasks)
                .flat_map(|t| [&*t.field, &*t.content]),
        );
        texts.extend(s.shortcomings.iter().map(|t| t.content.as_str()));
        texts.extend(
            s.advised
                .iter()
                .flat_map(|d| [&*d.number, &*d.issuer, &*d.summary]),
        );
        texts.extend(
            s.assessment
                .iter()
                .chain(&s.general_tasks)
                .flat_map(|p| [&*p.content, &*p.footnote]),
        );
        for t in texts {
            assert!(is_nfc(t), "{code}: not NFC: {t}");
            assert_eq!(t, t.trim(), "{code}: untrimmed: {t:?}");
            assert!(
                !t.contains("  ") && !t.contains('\n'),
                "{code}: spacing in {t:?}"
            );
        }
    }
}

#[test]
fn samples_keep_the_seed_arithmetic() {
    let subs = samples();
    let so = by_code(&subs, "SO");

    assert_eq!(fig(so, "VB_DEN"), 3675);
    assert_eq!(fig(so, "VB_DI"), 1032);
    assert_eq!(fig(so, "VB_CHAM"), 0);
    assert_eq!(fig(so, "TTHC_TIEP_NHAN"), 324);
    assert_eq!(fig(so, "TTHC_KY_TRUOC"), 32);
    assert_eq!(fig(so, "TTHC_DA_GQ"), 302);
    assert_eq!(fig(so, "TTHC_DANG_GQ"), 22);
    assert_eq!(fig(so, "TTHC_QUA_HAN"), 1);

    // Documents issued: the units' shares add up to the department's 1.032.
    assert_eq!(units_sum(&subs, "VB_DI"), fig(so, "VB_DI"));
    // Documents received: the department's total also holds the leadership's (3.549 ≤ 3.675).
    assert_eq!(units_sum(&subs, "VB_DEN"), 3549);
    assert!(units_sum(&subs, "VB_DEN") <= fig(so, "VB_DEN"));
    // Dossiers: every dossier figure of the department is the sum of the units'.
    for code in [
        "VB_CHAM",
        "TTHC_TIEP_NHAN",
        "TTHC_KY_TRUOC",
        "TTHC_DA_GQ",
        "TTHC_DANG_GQ",
        "TTHC_QUA_HAN",
    ] {
        assert_eq!(units_sum(&subs, code), fig(so, code), "{code}");
    }

    for s in &subs {
        let code = s.unit_code();
        let received = fig(s, "TTHC_TIEP_NHAN");
        assert_eq!(
            fig(s, "TTHC_DA_GQ") + fig(s, "TTHC_DANG_GQ"),
            received,
            "{code}: DA_GQ + DANG_GQ = TIEP_NHAN"
        );
        assert!(fig(s, "TTHC_KY_TRUOC") <= received, "{code}");
        assert!(fig(s, "TTHC_QUA_HAN") <= received, "{code}");
        assert!(fig(s, "VB_CHAM") <= fig(s, "VB_DEN"), "{code}");
        if code != "SO" {
            assert_eq!(
                s.overdue.len() as i64,
                fig(s, "TTHC_QUA_HAN"),
                "{code}: one Hồ sơ quá hạn row per overdue dossier"
            );
        }
    }

    // 302/324 = 93,2 %; 230/3.675 = 6,3 %.
    assert_eq!(
        (fig(so, "TTHC_DA_GQ") * 2000 / fig(so, "TTHC_TIEP_NHAN") + 1) / 2,
        932
    );
    let gdmn = by_code(&subs, "GDMN-GDTH");
    assert_eq!((fig(gdmn, "VB_DEN") * 2000 / fig(so, "VB_DEN") + 1) / 2, 63);

    // Footnote 1: six documents advised across the units.
    let advised: Vec<&str> = subs
        .iter()
        .flat_map(|s| s.advised.iter().map(|d| d.number.as_str()))
        .collect();
    assert_eq!(advised.len(), 6, "{advised:?}");
    assert_eq!(
        by_code(&subs, "GDTX-GDNN-DH").figure("HS_CHUYEN_TRUONG"),
        Some(12)
    );

    // The contradiction the pipeline must catch stays in the text.
    assert!(so
        .assessment
        .iter()
        .any(|p| p.content.contains("không có hồ sơ quá hạn")));
    let marked: Vec<_> = so
        .general_tasks
        .iter()
        .filter(|p| p.content.contains("(*)"))
        .collect();
    assert_eq!(marked.len(), 1);
    assert!(marked[0]
        .content
        .contains("chính sách quan trọng của ngành(*), bảo đảm"));
    assert!(!marked[0].footnote.is_empty());
}

/// A sheet as a grid addressed by absolute (row, col), both 0-based.
fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("{}: sheet {name}: {e}", path.display()))
}

fn cell(r: &Range<Data>, row: u32, col: u32) -> Data {
    r.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn text(r: &Range<Data>, row: u32, col: u32) -> String {
    match cell(r, row, col) {
        Data::String(s) => s,
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

fn column(r: &Range<Data>, header_row: u32, name: &str) -> u32 {
    (0..r.width() as u32)
        .find(|&c| matches!(cell(r, header_row, c), Data::String(ref s) if s == name))
        .unwrap_or_else(|| panic!("no column {name} in row {header_row}"))
}

#[test]
fn workbooks_read_back() {
    let subs = samples();
    let dir = tempfile::tempdir().expect("temp dir");
    for s in &subs {
        form_a::write_form_a(s, &dir.path().join(&s.file)).expect("workbook written");
    }
    let path_of = |code: &str| dir.path().join(&by_code(&subs, code).file);

    // Sheet order.
    let names = |code: &str| {
        let wb: Xlsx<_> = open_workbook(path_of(code)).expect("opens");
        wb.sheet_names()
    };
    assert_eq!(
        names("QLCL"),
        [
            "Thông tin",
            "Số liệu",
            "Kết quả",
            "Nhiệm vụ tháng sau",
            "Hồ sơ quá hạn"
        ]
    );
    assert_eq!(
        names("VP"),
        [
            "Thông tin",
            "Số liệu",
            "Kết quả",
            "Tồn tại",
            "Nhiệm vụ tháng sau",
            "Văn bản tham mưu"
        ]
    );
    assert_eq!(
        names("SO"),
        [
            "Thông tin",
            "Số liệu",
            "Kết quả",
            "Nhiệm vụ tháng sau",
            "Đánh giá chung",
            "Nhiệm vụ trọng tâm chung"
        ]
    );

    // Thông tin.
    let info = sheet(&path_of("GDMN-GDTH"), "Thông tin");
    assert_eq!(text(&info, 0, 0), "Trường");
    assert_eq!(text(&info, 0, 1), "Giá trị");
    assert_eq!(text(&info, 1, 0), "Mã đơn vị");
    assert_eq!(text(&info, 1, 1), "GDMN-GDTH");
    assert_eq!(text(&info, 3, 1), "11/2025", "Kỳ báo cáo stays text");

    // Số liệu: banner in row 1, header in row 3, VB_DEN = 230 as a number.
    let figures = sheet(&path_of("GDMN-GDTH"), "Số liệu");
    assert!(text(&figures, 0, 0).starts_with("BÁO CÁO SỐ LIỆU THÁNG 11/2025"));
    assert_eq!(cell(&figures, 1, 0), Data::Empty);
    let code_col = column(&figures, 2, "Mã");
    let value_col = column(&figures, 2, "Giá trị");
    column(&figures, 2, "Chỉ tiêu");
    column(&figures, 2, "Đơn vị tính");
    column(&figures, 2, "Ghi chú");
    let vb_den = (3..figures.height() as u32)
        .find(|&r| matches!(cell(&figures, r, code_col), Data::String(ref s) if s == "VB_DEN"))
        .expect("VB_DEN row");
    assert_eq!(cell(&figures, vb_den, value_col), Data::Float(230.0));

    // Kết quả: STT as numbers, Lĩnh vực and Nội dung as written.
    let results = sheet(&path_of("GDTX-GDNN-DH"), "Kết quả");
    assert_eq!(text(&results, 0, 1), "Lĩnh vực");
    assert_eq!(cell(&results, 1, 0), Data::Float(1.0));
    assert_eq!(cell(&results, 5, 0), Data::Float(5.0));
    assert_eq!(text(&results, 1, 1), "Giáo dục thường xuyên");
    assert!(text(&results, 1, 2).starts_with("Tham mưu UBND thành phố ban hành Văn bản số 2947"));

    // Văn bản tham mưu: the date is a date cell.
    let advised = sheet(&path_of("GDMN-GDTH"), "Văn bản tham mưu");
    assert_eq!(text(&advised, 1, 1), "299/KH-UBND");
    let date_col = column(&advised, 0, "Ngày ban hành");
    let date = cell(&advised, 1, date_col);
    assert!(matches!(date, Data::DateTime(_)), "{date:?}");
    assert_eq!(
        date.as_datetime().map(|d| d.date()),
        NaiveDate::from_ymd_opt(2025, 11, 19)
    );

    // Hồ sơ quá hạn: date-times are date-time cells.
    let overdue = sheet(&path_of("QLCL"), "Hồ sơ quá hạn");
    assert_eq!(text(&overdue, 1, 0), "H24.3-251106-11538");
    let result_col = column(&overdue, 0, "Ngày có kết quả");
    let result = cell(&overdue, 1, result_col);
    assert!(matches!(result, Data::DateTime(_)), "{result:?}");
    assert_eq!(
        result.as_datetime().map(|d| d.to_string()),
        Some("2025-11-07 14:32:49".to_string())
    );
    let deadline = cell(&overdue, 1, column(&overdue, 0, "Hạn xử lý"));
    assert_eq!(
        deadline.as_datetime().map(|d| d.to_string()),
        Some("2025-11-07 13:39:00".to_string())
    );

    // Nhiệm vụ trọng tâm chung: the footnote sits in Chú thích.
    let general = sheet(&path_of("SO"), "Nhiệm vụ trọng tâm chung");
    let note_col = column(&general, 0, "Chú thích");
    assert!(text(&general, 1, note_col).starts_with("Đề án “Phát triển giáo dục"));
}

#[test]
fn workbooks_are_deterministic() {
    let subs = samples();
    let dir = tempfile::tempdir().expect("temp dir");
    let s = by_code(&subs, "SO");
    let a = dir.path().join("a.xlsx");
    let b = dir.path().join("b.xlsx");
    form_a::write_form_a(s, &a).expect("written");
    form_a::write_form_a(s, &b).expect("written");
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn bad_dates_are_errors_not_panics() {
    let mut s = samples().remove(0);
    s.advised[0].date = "19/11/2025".into();
    let dir = tempfile::tempdir().expect("temp dir");
    let err = form_a::write_form_a(&s, &dir.path().join("x.xlsx")).unwrap_err();
    assert!(format!("{err:#}").contains("19/11/2025"), "{err:#}");
}
