//! The wording of the blank forms: each form's `Hướng dẫn` sheet and the input message of
//! every cell to fill, loaded from `templates/huong-dan.toml` so an administrator can reword
//! them without a rebuild. Templates use minijinja with strict variables, like the report's
//! wording, so a typo is an error rather than a blank in the instructions.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Context, Result};
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::{Deserialize, Serialize};

use super::FormLetter;
use crate::model::STANDARD_CODES;

/// The wording shipped with the binary, used with the built-in configuration or when the
/// configured file does not exist.
pub const BUILTIN_GUIDE: &str = include_str!("../../templates/huong-dan.toml");

/// Every input hint the forms use; a templates file lacking one is refused at load.
pub const HINT_KEYS: &[&str] = &[
    "nguoi_lap",
    "ngay_lap",
    "ma_rieng",
    "ten_rieng",
    "gia_tri_rieng",
    "don_vi_tinh",
    "ghi_chu",
    "stt",
    "linh_vuc",
    "ket_qua",
    "ton_tai",
    "nhiem_vu_thang_sau",
    "so_ky_hieu",
    "ngay_ban_hanh",
    "co_quan_ban_hanh",
    "trich_yeu",
    "ma_ho_so",
    "thu_tuc",
    "thoi_han_giai_quyet",
    "ngay_tiep_nhan",
    "ngay_hen_tra",
    "han_xu_ly",
    "ngay_co_ket_qua",
    "ngay_tra_ket_qua",
    "doan_van",
    "chu_thich",
    "so_ky_hieu_ke_hoach",
    "ngay_ban_hanh_ke_hoach",
    "ten_ke_hoach",
    "co_quan_ke_hoach",
    "can_cu",
    "tieu_de_phu_luc",
    "tt",
    "muc",
    "nhiem_vu",
    "chu_tri",
    "phoi_hop",
    "san_pham",
    "thoi_gian",
    "bat_dau",
    "hoan_thanh",
    "trang_thai",
    "ty_le",
    "minh_chung",
    "ma_truong",
    "ten_truong",
    "cap_hoc",
    "loai_hinh",
    "xa_phuong",
    "so_lieu_truong",
];

/// The variables every guide template may use (documented at the top of the file).
#[derive(Debug, Clone, Default, Serialize)]
pub struct GuideContext {
    pub don_vi: String,
    pub ma_don_vi: String,
    /// `11/2026`.
    pub ky: String,
    /// `tháng 11/2026`.
    pub ky_chu: String,
    /// `tháng 12/2026`.
    pub ky_sau: String,
    /// `03/12/2026`, empty without a deadline.
    pub han_nop: String,
    pub gui_den: String,
    pub co_quan: String,
    /// `thành phố` or `tỉnh`: `[organisation] locality`.
    pub dia_phuong: String,
    /// `Hải Phòng`: `[organisation] place`.
    pub dia_danh: String,
    pub he_thong: String,
    pub phien_ban: String,
    pub la_so: bool,
    pub ke_hoach: String,
    pub so_nhiem_vu: usize,
    pub trang_thai: String,
}

/// One line of a `Hướng dẫn` sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuideLine {
    /// A bold heading (`## …` in the template).
    Heading(String),
    Text(String),
}

/// A rendered `Hướng dẫn` sheet.
#[derive(Debug, Clone)]
pub struct GuidePage {
    pub title: String,
    pub lines: Vec<GuideLine>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageSource {
    tieu_de: String,
    noi_dung: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuideFile {
    bieu_a: PageSource,
    bieu_b: PageSource,
    bieu_c: PageSource,
    bieu_d: PageSource,
    chi_tieu: BTreeMap<String, String>,
    goi_y: BTreeMap<String, String>,
}

/// The loaded wording, compiled once per command.
pub struct Guide {
    env: Environment<'static>,
    /// Number of `noi_dung` lines per form, to name their templates.
    lines: BTreeMap<FormLetter, usize>,
}

impl Guide {
    /// Parses and compiles a wording file; every error names its key, in Vietnamese.
    pub fn from_toml(text: &str) -> Result<Self> {
        let file: GuideFile =
            toml::from_str(text).context("tệp hướng dẫn biểu mẫu sai cú pháp TOML")?;
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let mut add = |name: String, source: String| {
            env.add_template_owned(name.clone(), source)
                .map_err(|e| anyhow!("mẫu «{name}» có lỗi cú pháp: {e}"))
        };
        let mut lines = BTreeMap::new();
        for (letter, page) in [
            (FormLetter::A, file.bieu_a),
            (FormLetter::B, file.bieu_b),
            (FormLetter::C, file.bieu_c),
            (FormLetter::D, file.bieu_d),
        ] {
            let section = letter.section();
            add(format!("{section}.tieu_de"), page.tieu_de)?;
            lines.insert(letter, page.noi_dung.len());
            for (i, line) in page.noi_dung.into_iter().enumerate() {
                add(format!("{section}.noi_dung.{i}"), line)?;
            }
        }
        for (code, _) in STANDARD_CODES {
            if !file.chi_tieu.contains_key(code) {
                bail!("tệp hướng dẫn biểu mẫu thiếu ý nghĩa chỉ tiêu chi_tieu.{code}");
            }
        }
        for (code, source) in file.chi_tieu {
            add(format!("chi_tieu.{code}"), source)?;
        }
        let missing: Vec<&str> = HINT_KEYS
            .iter()
            .copied()
            .filter(|k| !file.goi_y.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            bail!(
                "tệp hướng dẫn biểu mẫu thiếu các gợi ý: {}",
                missing
                    .iter()
                    .map(|k| format!("goi_y.{k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        for (key, source) in file.goi_y {
            add(format!("goi_y.{key}"), source)?;
        }
        Ok(Self { env, lines })
    }

    /// The `Hướng dẫn` sheet of a form: lines that render empty are left out, so a condition
    /// can drop a whole line.
    pub fn page(&self, letter: FormLetter, context: &GuideContext) -> Result<GuidePage> {
        let section = letter.section();
        let title = self.render(&format!("{section}.tieu_de"), context)?;
        let mut lines = Vec::new();
        for i in 0..self.lines.get(&letter).copied().unwrap_or(0) {
            let text = self.render(&format!("{section}.noi_dung.{i}"), context)?;
            if let Some(heading) = text.strip_prefix("## ") {
                lines.push(GuideLine::Heading(heading.trim().to_string()));
            } else if !text.is_empty() {
                lines.push(GuideLine::Text(text));
            }
        }
        Ok(GuidePage { title, lines })
    }

    /// What a standard figure means, for its cell's input message.
    pub fn figure_meaning(&self, code: &str, context: &GuideContext) -> Result<String> {
        self.render(&format!("chi_tieu.{code}"), context)
    }

    /// The input message of a column (a key of [`HINT_KEYS`]).
    pub fn hint(&self, key: &str, context: &GuideContext) -> Result<String> {
        self.render(&format!("goi_y.{key}"), context)
    }

    fn render(&self, name: &str, context: &GuideContext) -> Result<String> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| anyhow!("không có mẫu «{name}»: {e}"))?;
        let text = template
            .render(Value::from_serialize(context))
            .map_err(|e| anyhow!("mẫu «{name}» không điền được: {e}"))?;
        Ok(text.trim().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> GuideContext {
        GuideContext {
            don_vi: "Phòng Giáo dục trung học".into(),
            ma_don_vi: "GDTrH".into(),
            ky: "11/2026".into(),
            ky_chu: "tháng 11/2026".into(),
            ky_sau: "tháng 12/2026".into(),
            han_nop: "03/12/2026".into(),
            gui_den: "Văn phòng Sở".into(),
            co_quan: "Sở GDĐT".into(),
            he_thong: "HPNET-eOffice".into(),
            phien_ban: "2026.1".into(),
            trang_thai: "Hoàn thành, Đang thực hiện".into(),
            ..GuideContext::default()
        }
    }

    #[test]
    fn the_shipped_wording_renders_every_page_and_hint() {
        let guide = Guide::from_toml(BUILTIN_GUIDE).expect("shipped guide loads");
        let page = guide.page(FormLetter::A, &context()).expect("page A");
        assert!(page.title.contains("THÁNG 11/2026"), "{}", page.title);
        assert!(page
            .lines
            .contains(&GuideLine::Heading("3. Gửi báo cáo".into())));
        let all = format!("{:?}", page.lines);
        assert!(all.contains("chậm nhất ngày 03/12/2026"), "{all}");
        assert!(all.contains("Hồ sơ quá hạn"), "{all}");
        assert!(!all.contains("Đánh giá chung"), "unit form: {all}");
        for letter in [FormLetter::B, FormLetter::C] {
            assert!(!guide
                .page(letter, &context())
                .expect("page")
                .lines
                .is_empty());
        }
        for key in HINT_KEYS {
            assert!(
                !guide.hint(key, &context()).expect("hint").is_empty(),
                "{key}"
            );
        }
        for (code, _) in STANDARD_CODES {
            let meaning = guide.figure_meaning(code, &context()).expect("meaning");
            assert!(meaning.encode_utf16().count() <= 255, "{code}: {meaning}");
        }
    }

    #[test]
    fn the_department_page_names_its_own_sheets() {
        let guide = Guide::from_toml(BUILTIN_GUIDE).expect("shipped guide loads");
        let context = GuideContext {
            la_so: true,
            ..context()
        };
        let all = format!(
            "{:?}",
            guide.page(FormLetter::A, &context).expect("page").lines
        );
        assert!(all.contains("Đánh giá chung"), "{all}");
        assert!(!all.contains("Trang «Hồ sơ quá hạn»"), "{all}");
    }

    #[test]
    fn a_missing_hint_or_unknown_variable_is_an_error() {
        let without = BUILTIN_GUIDE.replace("ty_le = ", "ty_le_x = ");
        let error = Guide::from_toml(&without).err().expect("refused");
        assert!(format!("{error:#}").contains("goi_y.ty_le"), "{error:#}");
        let typo = BUILTIN_GUIDE.replace("{{ he_thong }} trong", "{{ he_thongg }} trong");
        let guide = Guide::from_toml(&typo).expect("syntax is fine");
        assert!(guide.figure_meaning("VB_DEN", &context()).is_err());
    }
}
