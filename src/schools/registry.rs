//! The list of schools expected to report (danh sách trường), kept by the administrator as a
//! CSV file: the truth for a school's level, type and ward, and the base for listing the
//! schools that have not reported.

use std::collections::HashMap;

use anyhow::{bail, Context, Result};

use super::model::{Level, Ownership, SchoolInfo};
use crate::text::fold_key;

/// The expected schools, in file order.
#[derive(Debug, Clone, Default)]
pub struct SchoolRegistry {
    schools: Vec<SchoolInfo>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    /// The optional `Email` column, by school index: where the school's feedback goes.
    emails: HashMap<usize, String>,
}

const COLUMNS: [(&str, &[&str]); 5] = [
    ("Mã trường", &["matruong", "ma"]),
    ("Tên trường", &["tentruong", "ten"]),
    ("Cấp học", &["caphoc", "cap"]),
    ("Loại hình", &["loaihinh"]),
    (
        "Xã/phường",
        &["xaphuong", "phuongxa", "xaphuongdackhu", "diaban"],
    ),
];

impl SchoolRegistry {
    /// Reads the CSV (UTF-8, with or without BOM; comma or semicolon separated, as Excel
    /// saves it). Every bad line is reported at once, by line number.
    pub fn from_csv(text: &str) -> Result<Self> {
        let text = text.trim_start_matches('\u{feff}');
        let first_line = text.lines().next().unwrap_or_default();
        let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .context("không đọc được dòng tiêu đề")?
            .clone();
        let mut position = [usize::MAX; 5];
        for (i, header) in headers.iter().enumerate() {
            let key = fold_key(header);
            if let Some(c) = COLUMNS
                .iter()
                .position(|(_, keys)| keys.contains(&key.as_str()))
            {
                if position[c] == usize::MAX {
                    position[c] = i;
                }
            }
        }
        let email_column = headers
            .iter()
            .position(|h| matches!(fold_key(h).as_str(), "email" | "thudientu" | "diachiemail"));
        let missing: Vec<&str> = COLUMNS
            .iter()
            .zip(position)
            .filter(|(_, p)| *p == usize::MAX)
            .map(|((label, _), _)| *label)
            .collect();
        if !missing.is_empty() {
            bail!(
                "thiếu cột {} ở dòng tiêu đề (cần: Mã trường, Tên trường, Cấp học, Loại hình, Xã/phường)",
                missing.join(", ")
            );
        }
        let mut registry = SchoolRegistry::default();
        let mut problems = Vec::new();
        for (n, record) in reader.records().enumerate() {
            let line = n + 2;
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    problems.push(format!("dòng {line}: {e}"));
                    continue;
                }
            };
            let field = |c: usize| crate::text::nfc(record.get(position[c]).unwrap_or("").trim());
            let code = field(0);
            if code.is_empty() && record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let name = field(1);
            let level = Level::parse(&field(2));
            let ownership = Ownership::parse(&field(3));
            let ward = field(4);
            match (code.is_empty(), level, ownership, ward.is_empty()) {
                (true, ..) => problems.push(format!("dòng {line}: thiếu Mã trường")),
                (_, None, ..) => problems.push(format!(
                    "dòng {line}: Cấp học «{}» không rõ (Mầm non, Tiểu học, THCS, THPT, Liên cấp)",
                    field(2)
                )),
                (_, _, None, _) => problems.push(format!(
                    "dòng {line}: Loại hình «{}» không rõ (Công lập, Ngoài công lập)",
                    field(3)
                )),
                (_, _, _, true) => problems.push(format!("dòng {line}: thiếu Xã/phường")),
                (false, Some(level), Some(ownership), false) => {
                    let key = fold_key(&code);
                    if registry.by_code.contains_key(&key) {
                        problems.push(format!("dòng {line}: Mã trường «{code}» trùng"));
                        continue;
                    }
                    let index = registry.schools.len();
                    registry.by_code.insert(key, index);
                    registry.by_name.entry(fold_key(&name)).or_insert(index);
                    let email = email_column
                        .and_then(|c| record.get(c))
                        .map(str::trim)
                        .unwrap_or_default();
                    if !email.is_empty() {
                        registry.emails.insert(index, email.to_string());
                    }
                    registry.schools.push(SchoolInfo {
                        code,
                        name,
                        level,
                        ownership,
                        ward,
                    });
                }
            }
        }
        if !problems.is_empty() {
            let shown = problems.len().min(20);
            let mut text = problems[..shown].join("; ");
            if problems.len() > shown {
                text.push_str(&format!("; và {} lỗi khác", problems.len() - shown));
            }
            bail!("{text}");
        }
        Ok(registry)
    }

    /// Every expected school, in file order.
    pub fn schools(&self) -> &[SchoolInfo] {
        &self.schools
    }

    /// A school by its code, however cased or punctuated.
    pub fn by_code(&self, code: &str) -> Option<&SchoolInfo> {
        self.by_code.get(&fold_key(code)).map(|&i| &self.schools[i])
    }

    /// A school whose name equals `name` once folded, to suggest a code that was mistyped.
    pub fn by_name(&self, name: &str) -> Option<&SchoolInfo> {
        self.by_name.get(&fold_key(name)).map(|&i| &self.schools[i])
    }

    /// The school's e-mail address from the optional `Email` column.
    pub fn email_of(&self, code: &str) -> Option<&str> {
        let index = self.by_code.get(&fold_key(code))?;
        self.emails.get(index).map(String::as_str)
    }

    /// Every school in the registry's order with its e-mail address, if any: the feedback
    /// goes over every school, and looking each address up by code folds the code again.
    pub fn schools_with_emails(&self) -> impl Iterator<Item = (&SchoolInfo, Option<&str>)> {
        self.schools
            .iter()
            .enumerate()
            .map(|(index, school)| (school, self.emails.get(&index).map(String::as_str)))
    }

    /// True when no school is listed (no registry configured).
    pub fn is_empty(&self) -> bool {
        self.schools.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_excel_style_csv_and_finds_schools_by_folded_code_and_name() {
        let text = "\u{feff}Mã trường;Tên trường;Cấp học;Loại hình;Xã/phường;Email\n\
                    HP-MN-001;Trường Mầm non Hoa Sen;Mầm non;Công lập;Phường Lê Chân; mnhoasen@example.vn \n\
                    ;;;;\n\
                    HP-TH-002;\"Trường Tiểu học Lê Lợi; cơ sở 2\";TH;cong lap;Phường Ngô Quyền\n";
        let registry = SchoolRegistry::from_csv(text).expect("registry");
        assert_eq!(registry.schools().len(), 2);
        let school = registry.by_code("hp mn 001").expect("by code");
        assert_eq!(school.level, Level::Preschool);
        assert_eq!(school.ward, "Phường Lê Chân");
        assert_eq!(registry.email_of("HP-MN-001"), Some("mnhoasen@example.vn"));
        assert_eq!(registry.email_of("HP-TH-002"), None, "no address, no mail");
        assert_eq!(
            registry
                .by_name("TRUONG TIEU HOC LE LOI; CO SO 2")
                .map(|s| s.code.as_str()),
            Some("HP-TH-002")
        );
    }

    #[test]
    fn every_bad_line_is_named() {
        let text = "Mã trường,Tên trường,Cấp học,Loại hình,Xã/phường\n\
                    A,Trường A,Đại học,Công lập,P1\n\
                    B,Trường B,THCS,Bán công,P1\n\
                    C,Trường C,THCS,Công lập,\n\
                    D,Trường D,THCS,Công lập,P2\n\
                    D,Trường D2,THCS,Công lập,P2\n";
        let error = format!("{:#}", SchoolRegistry::from_csv(text).expect_err("bad"));
        for expected in [
            "dòng 2: Cấp học «Đại học»",
            "dòng 3: Loại hình «Bán công»",
            "dòng 4: thiếu Xã/phường",
            "dòng 6: Mã trường «D» trùng",
        ] {
            assert!(error.contains(expected), "{error}");
        }
        let error = format!(
            "{:#}",
            SchoolRegistry::from_csv("Mã,Tên trường\n").expect_err("columns")
        );
        assert!(error.contains("Cấp học, Loại hình, Xã/phường"), "{error}");
    }
}
