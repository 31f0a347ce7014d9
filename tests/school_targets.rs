//! Issue 6: school statistics (Form D) in, every indicator at every level out, judged against
//! its target; what cannot be accepted is named at its cell; a zero denominator is "not
//! computable"; and the sums at every level add up to the schools' own figures.

#[path = "support/form_a.rs"]
mod form_a;
#[path = "support/form_d.rs"]
mod form_d;
#[path = "support/pipeline.rs"]
mod pipeline;
#[path = "support/summary.rs"]
mod summary;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use baocao::schools::indicators::Verdict;
use baocao::schools::{
    compute_targets, prepare_targets, Level, Ownership, SchoolInfo, SchoolRegistry, SchoolReport,
    SchoolSetup,
};
use form_d::{write_form_d, SchoolSample, Typed};
use pipeline::*;
use proptest::prelude::*;

/// A workspace with the November Form A samples, the given schools' workbooks under
/// `input/truong/`, and a configuration whose registry lists `registry`.
fn workspace(schools: &[SchoolSample], registry: &[SchoolSample]) -> (Workspace, PathBuf) {
    let workspace = Workspace::with(&november_samples());
    for school in schools {
        let path = workspace
            .input()
            .join("truong")
            .join(format!("{}.xlsx", school.code));
        write_form_d(school, &path).expect("write Form D");
    }
    let mut csv = String::from("Mã trường,Tên trường,Cấp học,Loại hình,Xã/phường\n");
    for s in registry {
        csv.push_str(&format!(
            "{},{},{},{},{}\n",
            s.code, s.name, s.level, s.ownership, s.ward
        ));
    }
    let dir = workspace.dir.path();
    std::fs::write(dir.join("truong.csv"), csv).expect("registry");
    let repo = repo();
    let config = std::fs::read_to_string(repo.join("config/baocao.toml"))
        .expect("config")
        .replace(
            "\"../templates/",
            &format!("\"{}/templates/", repo.display()),
        )
        .replace(
            "targets = \"chi-tieu.toml\"",
            &format!("targets = \"{}/config/chi-tieu.toml\"", repo.display()),
        );
    let path = dir.join("baocao.toml");
    std::fs::write(&path, config).expect("config");
    (workspace, path)
}

fn run(workspace: &Workspace, config: &Path) -> RunResult {
    run_baocao(&[
        "run",
        "--period",
        "2025-11",
        "--input",
        workspace.input().to_str().expect("utf-8"),
        "--output",
        workspace.output().to_str().expect("utf-8"),
        "--config",
        config.to_str().expect("utf-8"),
    ])
}

fn targets_xlsx(workspace: &Workspace) -> PathBuf {
    workspace
        .output()
        .join("2025-11/chi-tieu-thang-2025-11.xlsx")
}

fn school(code: &str, level: &str, ownership: &str, ward: &str) -> SchoolSample {
    SchoolSample::new(code, &format!("Trường {code}"), level, ownership, ward)
}

fn schools() -> Vec<SchoolSample> {
    vec![
        school("A-MN-1", "Mầm non", "Công lập", "Phường An Biên"),
        school("A-MN-2", "Mầm non", "Ngoài công lập", "Phường An Biên"),
        school("B-MN-1", "Mầm non", "Công lập", "Phường Cát Dài"),
        school("A-TH-1", "Tiểu học", "Công lập", "Phường An Biên"),
        school("B-TH-1", "Tiểu học", "Công lập", "Phường Cát Dài"),
        school("B-THCS-1", "THCS", "Công lập", "Phường Cát Dài"),
        school("A-LC-1", "Liên cấp", "Ngoài công lập", "Phường An Biên"),
        school("B-THPT-1", "THPT", "Công lập", "Phường Cát Dài"),
    ]
}

/// `1.208 trẻ/1.218`, as the documents print a figure.
fn dotted(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn sum(schools: &[&SchoolSample], code: &str) -> u64 {
    schools.iter().map(|s| s.value(code).expect(code)).sum()
}

fn text_at(rows: &[Vec<calamine::Data>], row: usize, col: usize) -> String {
    rows.get(row)
        .and_then(|r| r.get(col))
        .map(|c| c.to_string())
        .unwrap_or_default()
}

#[test]
fn school_statistics_become_targets_at_every_level_and_bad_files_are_named() {
    let good = schools();
    let mut bad_enrolment = school("B-MN-2", "Mầm non", "Công lập", "Phường Cát Dài");
    let population = bad_enrolment.value("DS_5_TUOI").expect("DS_5_TUOI");
    bad_enrolment.set("TRE_5_TUOI", Typed::Number(population + 7));
    let mut bad_number = school("A-TH-2", "Tiểu học", "Công lập", "Phường An Biên");
    bad_number.set("GIAO_VIEN", Typed::Text("abc".into()));
    let unknown = school("XX-99", "THCS", "Công lập", "Phường An Biên");
    let missing = school("B-TH-9", "Tiểu học", "Công lập", "Phường Cát Dài");

    let mut files = good.clone();
    files.extend([bad_enrolment.clone(), bad_number.clone(), unknown]);
    let mut registry = good.clone();
    registry.extend([bad_enrolment.clone(), bad_number.clone(), missing.clone()]);
    let (workspace, config) = workspace(&files, &registry);
    let result = run(&workspace, &config);
    assert_eq!(result.code, 2, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stdout.contains("Thống kê trường học: 08/11 trường")
            || result.stdout.contains("Thống kê trường học: 8/11 trường"),
        "{}",
        result.stdout
    );

    // Every rejection at its cell, in Vietnamese, with its code.
    let messages = workspace.messages();
    let enrolment_row = 3 + bad_enrolment
        .values
        .iter()
        .position(|(c, _)| c == "TRE_5_TUOI")
        .expect("row") as u32;
    for expected in [
        format!("truong/B-MN-2.xlsx › Số liệu › C{}", enrolment_row + 1),
        "Trẻ 5 tuổi ra lớp (TRE_5_TUOI".to_string(),
        "(vuot-gioi-han)".to_string(),
        "truong/A-TH-2.xlsx › Số liệu › C".to_string(),
        "«abc» không phải là số (khong-phai-so)".to_string(),
        "truong/XX-99.xlsx › Thông tin › B2".to_string(),
        "Mã trường «XX-99» không có trong danh sách trường".to_string(),
    ] {
        assert!(messages.contains(&expected), "{expected}\n{messages}");
    }

    // City-wide figures are the sums of the accepted schools' own figures.
    let preschool: Vec<&SchoolSample> = good.iter().filter(|s| s.level == "Mầm non").collect();
    let (five, five_population) = (sum(&preschool, "TRE_5_TUOI"), sum(&preschool, "DS_5_TUOI"));
    let summary = xlsx_rows(&targets_xlsx(&workspace), "Tổng hợp");
    let row = summary
        .iter()
        .position(|r| r.get(1).map(|c| c.to_string()) == Some("Trẻ 5 tuổi ra lớp".into()))
        .expect("5-year-olds row");
    assert!(
        text_at(&summary, row, 6).starts_with(&format!(
            "{} trẻ/{} (",
            dotted(five),
            dotted(five_population)
        )),
        "{}",
        text_at(&summary, row, 6)
    );
    let rate = number(&summary[row][7]);
    assert!((rate - five as f64 / five_population as f64).abs() < 1e-12);
    let judged = if five * 10_000 >= 9_990 * five_population {
        "Đạt"
    } else {
        "Chưa đạt"
    };
    assert_eq!(text_at(&summary, row, 8), judged);
    // Schools at national standard, counted over every level.
    let standard = good
        .iter()
        .filter(|s| s.value("MUC_CHUAN_QG").expect("level") >= 1)
        .count();
    let row = summary
        .iter()
        .position(|r| r.get(1).map(|c| c.to_string()) == Some("Trường đạt chuẩn quốc gia".into()))
        .expect("standard row");
    assert!(text_at(&summary, row, 6).starts_with(&format!("{standard} trường/{} (", good.len())));

    // Ward rows of the level sheet are the ward's schools.
    let level_rows = xlsx_rows(&targets_xlsx(&workspace), "Mầm non");
    let header = &level_rows[3];
    let col = header
        .iter()
        .position(|c| c.to_string().as_str() == "Trẻ 5 tuổi ra lớp")
        .expect("column");
    for ward in ["Phường An Biên", "Phường Cát Dài"] {
        let in_ward: Vec<&SchoolSample> = preschool
            .iter()
            .copied()
            .filter(|s| s.ward == ward)
            .collect();
        let row = row_with(&level_rows, 0, ward);
        let expected = sum(&in_ward, "TRE_5_TUOI") as f64 / sum(&in_ward, "DS_5_TUOI") as f64;
        assert!((number(&row[col]) - expected).abs() < 1e-12, "{ward}");
    }
    assert_eq!(text_at(&level_rows, 5, 1), "2/2");
    assert_eq!(
        row_with(&level_rows, 0, "Phường Cát Dài")[1].to_string(),
        "1/2",
        "the rejected school counts as expected, not reported"
    );

    // Absent schools: the one that never sent and the ones whose files were rejected.
    let absent = xlsx_rows(&targets_xlsx(&workspace), "Chưa nộp");
    assert_eq!(row_with(&absent, 2, "B-TH-9")[6].to_string(), "Chưa nộp");
    assert_eq!(
        row_with(&absent, 2, "B-MN-2")[6].to_string(),
        "Có lỗi, chưa tổng hợp"
    );
    assert_eq!(
        row_with(&absent, 2, "A-TH-2")[6].to_string(),
        "Có lỗi, chưa tổng hợp"
    );
    assert_eq!(absent.len(), 4, "header and three schools");

    // Schools below target: written row by row through a temporary file (low-memory mode),
    // read back whole: numbered 1..n, each row a school that was accepted.
    let below = xlsx_rows(&targets_xlsx(&workspace), "Trường chưa đạt");
    assert_eq!(text_at(&below, 0, 5), "Mã trường");
    assert!(below.len() > 1, "some school misses some target");
    let sample = schools();
    let accepted: Vec<&str> = sample
        .iter()
        .map(|s| s.code.as_str())
        .filter(|c| !["B-MN-2", "A-TH-2", "B-TH-9"].contains(c))
        .collect();
    for (n, row) in below.iter().enumerate().skip(1) {
        assert_eq!(row[0].to_string(), n.to_string(), "row {n}");
        assert!(accepted.contains(&row[5].to_string().as_str()), "{row:?}");
        assert!(!row[7].to_string().is_empty(), "{row:?}");
    }

    // The list carries its formats by column and its grid as one conditional format over the
    // rows written (not a format looked up per cell): a data cell takes its column's style,
    // and the grid stops at the last school.
    let list = zip_part(
        &targets_xlsx(&workspace),
        &sheet_part(&targets_xlsx(&workspace), "Trường chưa đạt"),
    )
    .expect("the list's sheet");
    let column_style = |col: u32| -> String {
        let cols = &list[list.find("<cols>").expect("columns")..list.find("</cols>").expect("end")];
        let col_tag = cols
            .split("<col ")
            .skip(1)
            .find(|tag| {
                let bound = |key| attribute(tag, key).and_then(|v| v.parse::<u32>().ok());
                bound("min").is_some_and(|min| min <= col)
                    && bound("max").is_some_and(|max| col <= max)
            })
            .unwrap_or_else(|| panic!("column {col}: {cols}"));
        attribute(col_tag, "style").unwrap_or_else(|| panic!("no style: {col_tag}"))
    };
    for (col, letter) in [(2, "B"), (6, "F"), (7, "G")] {
        let cell_tag = list
            .split("<c ")
            .find(|c| c.starts_with(&format!("r=\"{letter}2\"")))
            .unwrap_or_else(|| panic!("{letter}2 written"));
        assert_eq!(
            attribute(cell_tag, "s"),
            Some(column_style(col)),
            "{letter}2 in the column's format"
        );
    }
    let grid = format!("<conditionalFormatting sqref=\"A2:I{}\">", below.len());
    assert!(
        list.contains(&grid),
        "grid over the {} rows",
        below.len() - 1
    );
    assert!(list.contains("<formula>TRUE</formula>"));
    let styles = zip_part(&targets_xlsx(&workspace), "xl/styles.xml").expect("styles");
    let dxfs = &styles[styles.find("<dxfs").expect("differential formats")..];
    assert!(dxfs.contains("<left style=\"thin\">"), "{dxfs}");

    // Conditional formatting and charts are really in the package.
    let level_sheet =
        zip_part(&targets_xlsx(&workspace), "xl/worksheets/sheet2.xml").expect("sheet2");
    assert!(level_sheet.contains("<conditionalFormatting"));
    assert!(level_sheet.contains("ISNUMBER"));
    let chart = zip_part(&targets_xlsx(&workspace), "xl/charts/chart1.xml").expect("a chart");
    assert!(chart.contains("<c:barChart>") && chart.contains("<c:lineChart>"));

    // The report's section: a table per level with the seeds' way of writing figures.
    let document = zip_part(&workspace.docx(), "word/document.xml").expect("document");
    let text = paragraph_text(&document);
    assert!(text.contains("Kết quả thực hiện các chỉ tiêu"), "{text}");
    assert!(
        text.contains("8/11 trường") || text.contains("08/11 trường"),
        "{text}"
    );
    assert!(text.contains(&format!(
        "{} trẻ/{} (",
        dotted(five),
        dotted(five_population)
    )));
    assert!(text.contains("a) Mầm non") && text.contains("Liên cấp"));
    assert!(
        document.matches("<w:tblHeader").count() >= 5,
        "header rows repeat"
    );
}

/// The part of an XLSX written by rust_xlsxwriter that holds the sheet `name`: its sheets are
/// `xl/worksheets/sheetN.xml` in workbook order.
fn sheet_part(path: &Path, name: &str) -> String {
    let workbook = zip_part(path, "xl/workbook.xml").expect("workbook");
    let position = workbook
        .split("<sheet ")
        .skip(1)
        .position(|tag| attribute(tag, "name").as_deref() == Some(name))
        .unwrap_or_else(|| panic!("sheet {name} in {workbook}"));
    format!("xl/worksheets/sheet{}.xml", position + 1)
}

/// The value of `key="…"` among the attributes that open `tag` (the text after `<name `).
fn attribute(tag: &str, key: &str) -> Option<String> {
    let attributes = &tag[..tag.find('>').unwrap_or(tag.len())];
    let needle = format!("{key}=\"");
    let start = attributes
        .match_indices(&needle)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || attributes.as_bytes()[i - 1] == b' ')?;
    let rest = &attributes[start + needle.len()..];
    Some(rest[..rest.find('"')?].to_string())
}

#[test]
fn a_zero_denominator_is_not_computable_never_zero_percent() {
    let mut schools = vec![
        school("Z-MN-1", "Mầm non", "Công lập", "Phường Đông Hải"),
        school("Z-MN-2", "Mầm non", "Công lập", "Phường Đông Hải"),
    ];
    for s in &mut schools {
        s.set("TRE_5_TUOI", Typed::Number(0));
        s.set("DS_5_TUOI", Typed::Number(0));
    }
    let (workspace, config) = workspace(&schools, &schools);
    let result = run(&workspace, &config);
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    let summary = xlsx_rows(&targets_xlsx(&workspace), "Tổng hợp");
    let row = summary
        .iter()
        .position(|r| r.get(1).map(|c| c.to_string()) == Some("Trẻ 5 tuổi ra lớp".into()))
        .expect("row");
    assert_eq!(text_at(&summary, row, 6), "0 trẻ/0 (không tính được)");
    assert_eq!(
        summary[row][7],
        calamine::Data::Empty,
        "no 0% in the rate column"
    );
    assert_eq!(text_at(&summary, row, 8), "Không tính được");
    let text = paragraph_text(&zip_part(&workspace.docx(), "word/document.xml").expect("doc"));
    assert!(text.contains("0 trẻ/0 (không tính được)"), "{text}");
    assert!(!text.contains("0 trẻ/0 (0%)"));
}

fn arbitrary_report() -> impl Strategy<Value = (u8, u8, u8, Vec<Option<u64>>)> {
    (
        0u8..5,
        0u8..2,
        0u8..4,
        proptest::collection::vec(proptest::option::weighted(0.9, 0u64..5_000), 24),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Ward sums make the level, levels make the city, types make the city, wards make the
    /// city — for every indicator, whatever the schools report (gaps included).
    #[test]
    fn figures_at_every_level_add_up_to_the_school_figures(
        rows in proptest::collection::vec(arbitrary_report(), 0..60)
    ) {
        let setup = SchoolSetup::builtin().expect("shipped targets");
        let reports: Vec<SchoolReport> = rows
            .iter()
            .enumerate()
            .map(|(i, (level, ownership, ward, values))| {
                let mut stored = vec![None; setup.codes.len()];
                stored[..values.len()].copy_from_slice(values);
                if let Some(v) = stored.get_mut(setup.codes.index("MUC_CHUAN_QG").expect("code")) {
                    *v = v.map(|x| x % 3);
                }
                SchoolReport {
                    school: SchoolInfo {
                        code: format!("S{i}"),
                        name: format!("Trường {i}"),
                        level: Level::ALL[*level as usize],
                        ownership: Ownership::ALL[*ownership as usize],
                        ward: format!("Phường {ward}"),
                    },
                    file: format!("S{i}.xlsx"),
                    prepared_on: None,
                    values: stored.into_boxed_slice(),
                }
            })
            .collect();
        let indicators = &setup.targets.indicators;
        let results = compute_targets(
            indicators,
            &setup.codes,
            &reports,
            &SchoolRegistry::default(),
            &HashSet::new(),
        )
        .expect("computed");
        for (n, indicator) in indicators.iter().enumerate() {
            // The city, straight from the schools.
            let (mut num, mut den, mut count) = (0u64, 0u64, 0u64);
            for report in &reports {
                if !indicator.applies_to(report.school.level, report.school.ownership) {
                    continue;
                }
                let value = |code: &str| setup.codes.index(code).and_then(|i| report.values[i]);
                let codes = indicator.codes();
                let Some(numerator) = value(codes[0]) else { continue };
                let denominator = match codes.get(1) {
                    Some(code) => match value(code) { Some(d) => d, None => continue },
                    None => 1,
                };
                num += if indicator.name.starts_with("Trường đạt chuẩn quốc gia") {
                    u64::from(numerator >= if indicator.name.ends_with("2") { 2 } else { 1 })
                } else {
                    numerator
                };
                den += denominator;
                count += 1;
            }
            let city = results.city[n];
            prop_assert_eq!((city.numerator, city.denominator, city.schools), (num, den, count));
            let add = |figures: Vec<baocao::schools::Figure>| figures.iter().fold((0, 0, 0), |a, f| (a.0 + f.numerator, a.1 + f.denominator, a.2 + f.schools));
            let levels = add(results.by_level.values().map(|f| f[n]).collect());
            prop_assert_eq!(levels, (num, den, count));
            let types = add(results.by_ownership.values().map(|f| f[n]).collect());
            prop_assert_eq!(types, (num, den, count));
            let wards = add(results.by_ward.values().map(|f| f[n]).collect());
            prop_assert_eq!(wards, (num, den, count));
            for (level, figures) in &results.by_level {
                let in_level = add(results.by_level_ward.iter().filter(|((l, _), _)| l == level).map(|(_, f)| f[n]).collect());
                prop_assert_eq!(in_level, (figures[n].numerator, figures[n].denominator, figures[n].schools));
            }
            if den == 0 {
                prop_assert_eq!(city.verdict(indicator), Verdict::NotComputable);
            }
        }
        // The targets workbook adds a sheet per level before the sums are made: the levels
        // known first are those of the finished figures.
        let (registry, rejected) = (SchoolRegistry::default(), HashSet::new());
        let prepared = prepare_targets(indicators, &setup.codes, &reports, &registry, &rejected);
        prop_assert_eq!(&prepared.levels, &results.levels());
        prop_assert_eq!(prepared.below_target.len(), results.below_target.len());
    }
}

#[test]
fn with_a_registry_the_levels_known_first_are_the_registrys() {
    let setup = SchoolSetup::builtin().expect("shipped targets");
    // Two levels listed, one reported: the other still has its sheet (nobody reported).
    let registry = SchoolRegistry::from_csv(
        "Mã trường,Tên trường,Cấp học,Loại hình,Xã/phường\n\
         S1,Trường Mầm non Sao Mai,Mầm non,Công lập,Phường An Biên\n\
         S2,Trường THCS Lê Lợi,THCS,Công lập,Phường Cát Dài\n",
    )
    .expect("registry");
    let reports = [SchoolReport {
        school: SchoolInfo {
            code: "S1".into(),
            name: "Trường Mầm non Sao Mai".into(),
            level: Level::ALL[0],
            ownership: Ownership::ALL[0],
            ward: "Phường An Biên".into(),
        },
        file: "S1.xlsx".into(),
        prepared_on: None,
        values: vec![Some(5); setup.codes.len()].into_boxed_slice(),
    }];
    let indicators = &setup.targets.indicators;
    let none = HashSet::new();
    let prepared = prepare_targets(indicators, &setup.codes, &reports, &registry, &none);
    let levels = prepared.levels.clone();
    let below = prepared.below_target.len();
    let mut results = prepared.rest.finish().expect("finished");
    assert!(results.below_target.is_empty());
    results.below_target = compute_targets(indicators, &setup.codes, &reports, &registry, &none)
        .expect("computed")
        .below_target;
    assert_eq!(levels, results.levels());
    assert_eq!(levels.len(), 2, "{levels:?}");
    assert_eq!(results.below_target.len(), below);
    assert_eq!(results.absent.len(), 1);
}

#[test]
fn ward_spellings_that_fold_alike_are_one_ward() {
    let setup = SchoolSetup::builtin().expect("shipped targets");
    let five = setup.codes.index("TRE_5_TUOI").expect("code");
    let population = setup.codes.index("DS_5_TUOI").expect("code");
    let report = |i: usize, ward: &str| {
        let mut values = vec![None; setup.codes.len()];
        values[five] = Some(10 + i as u64);
        values[population] = Some(20);
        SchoolReport {
            school: SchoolInfo {
                code: format!("S{i}"),
                name: format!("Trường {i}"),
                level: Level::Preschool,
                ownership: Ownership::Public,
                ward: ward.to_string(),
            },
            file: format!("S{i}.xlsx"),
            prepared_on: None,
            values: values.into_boxed_slice(),
        }
    };
    let reports = [
        report(0, "Phường An Biên"),
        report(1, "phường an biên"),
        report(2, "Phường Cát Dài"),
        report(3, "PHƯỜNG  AN BIÊN"),
    ];
    let results = compute_targets(
        &setup.targets.indicators,
        &setup.codes,
        &reports,
        &SchoolRegistry::default(),
        &HashSet::new(),
    )
    .expect("computed");
    // One ward per folded name, named by the first spelling in order.
    assert_eq!(results.wards, ["PHƯỜNG  AN BIÊN", "Phường Cát Dài"]);
    let n = setup
        .targets
        .indicators
        .iter()
        .position(|i| i.codes() == ["TRE_5_TUOI", "DS_5_TUOI"])
        .expect("the 5-year-olds indicator");
    let an_bien = results.by_ward["PHƯỜNG  AN BIÊN"][n];
    assert_eq!(
        (an_bien.numerator, an_bien.denominator, an_bien.schools),
        (10 + 11 + 13, 60, 3)
    );
    assert_eq!(results.by_ward["Phường Cát Dài"][n].schools, 1);
}

/// Reads one Form D workbook with the library against a registry of `listed`.
fn parse(school: &SchoolSample, listed: &[SchoolSample]) -> baocao::schools::FormDOutcome {
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("x.xlsx");
    write_form_d(school, &path).expect("write");
    let bytes = std::fs::read(&path).expect("read");
    let book =
        baocao::ingest::read_guarded(&bytes, &baocao::ingest::Limits::default()).expect("workbook");
    let mut csv = String::from("Mã trường,Tên trường,Cấp học,Loại hình,Xã/phường\n");
    for s in listed {
        csv.push_str(&format!(
            "{},{},{},{},{}\n",
            s.code, s.name, s.level, s.ownership, s.ward
        ));
    }
    let setup = SchoolSetup::from_texts(csv, baocao::schools::targets::BUILTIN_TARGETS.into())
        .expect("setup");
    assert!(baocao::schools::is_form_d(&book));
    baocao::schools::parse_form_d(&book, "x.xlsx", &setup.registry, &setup.codes)
}

#[test]
fn each_form_d_problem_has_its_code_place_and_words() {
    let base = school("P-TH-1", "Tiểu học", "Công lập", "Phường An Biên");
    let listed = vec![base.clone()];
    let row_of = |s: &SchoolSample, code: &str| {
        4 + s.values.iter().position(|(c, _)| c == code).expect("code")
    };
    let mut no_cohort = base.clone();
    no_cohort.values.retain(|(c, _)| c != "HS_LOP_5");
    let mut level_three = base.clone();
    level_three.set("MUC_CHUAN_QG", Typed::Number(3));
    let mut qualified = base.clone();
    let teachers = qualified.value("GIAO_VIEN").expect("teachers");
    qualified.set("GV_DAT_CHUAN", Typed::Number(teachers + 1));
    let mut ambiguous = base.clone();
    ambiguous.set("HOC_SINH", Typed::Text("1.5".into()));
    let mut mistyped = base.clone();
    mistyped.code = "P-TH-7".into();
    let mut other_ward = base.clone();
    other_ward.ward = "Phường Cát Dài".into();
    other_ward.level = "THCS".into();
    let cases: Vec<(&str, SchoolSample, &str, String, &str)> = vec![
        (
            "thiếu mã",
            no_cohort,
            "thieu-chi-tieu",
            "x.xlsx › Số liệu".into(),
            "Thiếu dòng mã HS_LOP_5",
        ),
        (
            "mức 3",
            level_three.clone(),
            "ngoai-khoang",
            format!(
                "x.xlsx › Số liệu › C{}",
                row_of(&level_three, "MUC_CHUAN_QG")
            ),
            "0, 1 hoặc 2",
        ),
        (
            "vượt",
            qualified.clone(),
            "vuot-gioi-han",
            format!("x.xlsx › Số liệu › C{}", row_of(&qualified, "GV_DAT_CHUAN")),
            "nhiều hơn giáo viên (GIAO_VIEN",
        ),
        (
            "mơ hồ",
            ambiguous.clone(),
            "so-mo-ho",
            format!("x.xlsx › Số liệu › C{}", row_of(&ambiguous, "HOC_SINH")),
            "không rõ ràng",
        ),
        (
            "sai mã",
            mistyped,
            "truong-khong-co",
            "x.xlsx › Thông tin › B2".into(),
            "Có phải mã «P-TH-1» (Trường P-TH-1)?",
        ),
    ];
    for (what, sample, code, place, words) in cases {
        let outcome = parse(&sample, &listed);
        assert!(outcome.report.is_none(), "{what}: must be rejected");
        let message = outcome
            .messages
            .iter()
            .find(|m| m.code == code)
            .unwrap_or_else(|| panic!("{what}: no {code} in {:?}", outcome.messages));
        assert_eq!(message.location.to_string(), place, "{what}");
        assert!(message.text.contains(words), "{what}: {}", message.text);
    }
    // The registry decides level and ward; the school is told, its figures are used.
    let outcome = parse(&other_ward, &listed);
    let report = outcome.report.expect("accepted");
    assert_eq!(report.school.ward, "Phường An Biên");
    assert_eq!(report.school.level, Level::Primary);
    let warnings: Vec<&str> = outcome
        .messages
        .iter()
        .filter(|m| m.code == "lech-danh-sach")
        .map(|m| m.text.as_str())
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("Cấp học ghi «THCS» nhưng danh sách trường ghi «Tiểu học»"));
}

#[test]
fn a_code_written_twice_is_named_at_its_second_row_with_its_first_cell() {
    let base = school("P-TH-1", "Tiểu học", "Công lập", "Phường An Biên");
    let listed = vec![base.clone()];
    let mut twice = base.clone();
    let first_known = 4 + twice
        .values
        .iter()
        .position(|(c, _)| c == "HOC_SINH")
        .expect("HOC_SINH");
    // A code the form has, then a code no indicator uses, each written a second time.
    twice.values.push(("HOC_SINH".into(), Typed::Number(5)));
    twice.values.push(("MA_LA".into(), Typed::Number(1)));
    twice.values.push(("MA_LA".into(), Typed::Number(2)));
    let last = 4 + twice.values.len() - 1;
    let outcome = parse(&twice, &listed);
    assert!(outcome.report.is_none(), "{:?}", outcome.messages);
    let repeated: Vec<(String, &str)> = outcome
        .messages
        .iter()
        .filter(|m| m.code == "trung-chi-tieu")
        .map(|m| (m.location.to_string(), m.text.as_str()))
        .collect();
    assert_eq!(
        repeated,
        vec![
            (
                format!("x.xlsx › Số liệu › A{}", last - 2),
                format!("Mã HOC_SINH đã có ở ô C{first_known}; mỗi mã chỉ ghi một lần").as_str()
            ),
            (
                format!("x.xlsx › Số liệu › A{last}"),
                format!("Mã MA_LA đã có ở ô C{}; mỗi mã chỉ ghi một lần", last - 1).as_str()
            ),
        ]
    );
    // The unknown code is noticed once, at its first row; the known one keeps its first
    // value, so no other rule fires on the repeated 5.
    let unknown: Vec<String> = outcome
        .messages
        .iter()
        .filter(|m| m.code == "ma-khong-dung")
        .map(|m| m.location.to_string())
        .collect();
    assert_eq!(unknown, vec![format!("x.xlsx › Số liệu › A{}", last - 1)]);
    assert!(
        !outcome.messages.iter().any(|m| m.code == "thieu-chi-tieu"),
        "{:?}",
        outcome.messages
    );
}

/// The two lists of the targets workbook are filled side by side. When they put their text
/// in the workbook's shared strings, the order of those strings, and so the file's bytes,
/// changed from run to run (seen at 2,000 and 10,000 schools: the benchmark's data). They
/// now hold their text in their own cells, so nothing they write depends on which is
/// first. With this test's few schools a race would seldom show, so besides comparing two
/// runs the test checks that no school of either list is in the shared strings.
#[test]
fn the_targets_workbook_comes_out_byte_for_byte_the_same_on_every_run() {
    let good = schools();
    let missing = school("B-TH-9", "Tiểu học", "Công lập", "Phường Cát Dài");
    let mut registry = good.clone();
    registry.push(missing);
    let (workspace, config) = workspace(&good, &registry);
    let first = run(&workspace, &config);
    assert!(matches!(first.code, 0 | 2), "{}", first.stderr);
    let bytes = std::fs::read(targets_xlsx(&workspace)).expect("first targets workbook");
    let second = run(&workspace, &config);
    assert!(matches!(second.code, 0 | 2), "{}", second.stderr);
    let again = std::fs::read(targets_xlsx(&workspace)).expect("second targets workbook");
    assert!(
        bytes == again,
        "the two runs wrote different targets workbooks"
    );

    // Both lists read back with every school's code, none of which is a shared string.
    let strings = zip_part(&targets_xlsx(&workspace), "xl/sharedStrings.xml").unwrap_or_default();
    let below = xlsx_rows(&targets_xlsx(&workspace), "Trường chưa đạt");
    assert!(below.len() > 1, "some school misses some target");
    let absent = xlsx_rows(&targets_xlsx(&workspace), "Chưa nộp");
    assert!(
        absent.iter().any(|row| row
            .iter()
            .any(|c| *c == calamine::Data::String("B-TH-9".into()))),
        "{absent:?}"
    );
    let codes = below
        .iter()
        .skip(1)
        .map(|row| row[5].to_string())
        .chain(["B-TH-9".to_string()]);
    for code in codes {
        assert!(
            !strings.contains(&format!(">{code}<")),
            "{code} is in the shared strings"
        );
    }
}

/// The targets workbook is packed while the other documents go to disk, and joins the
/// manifest last: it must still be described in its place (after the checks' text file) with
/// the hash and size of the file on disk, and the render stage must last until it was packed.
#[test]
fn the_targets_workbook_packed_last_is_described_in_its_place() {
    use sha2::{Digest, Sha256};
    let (workspace, config) = workspace(&schools(), &schools());
    let result = run(&workspace, &config);
    assert!(matches!(result.code, 0 | 2), "{}", result.stderr);
    let period = workspace.output().join("2025-11");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(period.join("manifest.json")).expect("manifest"),
    )
    .expect("manifest is JSON");
    let outputs = manifest["outputs"].as_array().expect("outputs");
    let paths: Vec<&str> = outputs
        .iter()
        .map(|o| o["path"].as_str().expect("path"))
        .collect();
    assert_eq!(
        &paths[..4],
        [
            "bao-cao-thang-2025-11.docx",
            "so-lieu-thang-2025-11.xlsx",
            "kiem-tra-2025-11.txt",
            "chi-tieu-thang-2025-11.xlsx",
        ],
        "{paths:?}"
    );
    let bytes = std::fs::read(targets_xlsx(&workspace)).expect("targets workbook");
    let hex: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(outputs[3]["sha256"], hex.as_str());
    assert_eq!(outputs[3]["size"], bytes.len() as u64);
    let timings = &manifest["timings_ms"];
    let (render, pack) = (
        timings["render"].as_u64().expect("render"),
        timings["render.targets_pack"].as_u64().expect("packing"),
    );
    assert!(render >= pack, "{timings}");
    // "Đã ghi:" lists it in the same place among the files written.
    let listed = summary::written_files(&result.stdout);
    assert!(
        listed
            .get(3)
            .is_some_and(|l| l.ends_with("chi-tieu-thang-2025-11.xlsx")),
        "{listed:?}"
    );
}
