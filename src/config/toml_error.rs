//! Configuration errors an administrator can act on: the file, the line, the key and what is
//! expected, entirely in Vietnamese. The TOML reader and serde describe problems in English
//! ("unknown field `plaec`, expected one of …"); an administrator editing `baocao.toml` at
//! the server should not have to translate that.

use std::fmt;

/// A configuration file that could not be read as the configuration, located and explained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigFileError {
    /// The file as given or found.
    pub file: String,
    /// 1-based line, when the problem has a place.
    pub line: Option<usize>,
    /// The key concerned, as a dotted path (`organisation.place`), when known.
    pub key: Option<String>,
    /// What is wrong and what is expected, in Vietnamese.
    pub explanation: String,
}

impl fmt::Display for ConfigFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tệp cấu hình {}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", dòng {line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ", khóa «{key}»")?;
        }
        write!(f, ": {}", self.explanation)
    }
}

/// Explains a TOML/serde error of `text` (read from `file`) in Vietnamese.
pub fn explain(file: &str, text: &str, error: &toml::de::Error) -> ConfigFileError {
    let span = error.span();
    let line = span.as_ref().map(|s| line_of(text, s.start));
    let section = span
        .as_ref()
        .and_then(|s| section_at(text, s.start))
        .unwrap_or_default();
    let spanned = span
        .as_ref()
        .and_then(|s| text.get(s.clone()))
        .map(|t| t.trim().trim_matches('"').to_string())
        .filter(|t| !t.is_empty() && !t.contains('\n') && t.chars().count() <= 60);
    let (explanation, key_name) = translate(error.message(), spanned.as_deref());
    let key = key_name.map(|name| {
        if section.is_empty() || name.starts_with('[') {
            name
        } else {
            format!("{section}.{name}")
        }
    });
    ConfigFileError {
        file: file.to_string(),
        line,
        key,
        explanation,
    }
}

/// The Vietnamese explanation and, where the message names one, the key.
fn translate(message: &str, spanned: Option<&str>) -> (String, Option<String>) {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = split_expected(rest);
        let allowed = backticked(expected.unwrap_or_default());
        let mut text = format!("khóa «{field}» không có trong mục này");
        if !allowed.is_empty() {
            text.push_str(&format!(
                "; các khóa dùng được: {} (kiểm tra chính tả)",
                allowed.join(", ")
            ));
        }
        return (text, Some(field));
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = rest.trim().trim_matches('`').to_string();
        return (
            format!("thiếu khóa «{field}», khóa này bắt buộc"),
            Some(field),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (found, expected) = split_expected(rest);
        let allowed = backticked(expected.unwrap_or_default());
        return (
            format!(
                "giá trị «{found}» không hợp lệ; chỉ dùng được: {}",
                allowed.join(", ")
            ),
            None,
        );
    }
    if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let (found, expected) = split_expected(rest);
        return (
            format!(
                "giá trị {} không đúng: cần {}",
                describe_found(&found),
                describe_expected(expected.unwrap_or_default())
            ),
            None,
        );
    }
    if message.starts_with("duplicate key") {
        let key = backticked(message).into_iter().next();
        return (
            "khóa này được khai báo hai lần; xoá một trong hai dòng".to_string(),
            key.or_else(|| spanned.map(str::to_string)),
        );
    }
    if let Some(custom) = message.strip_prefix("invalid length ") {
        let (_, expected) = split_expected(custom);
        return (
            format!(
                "số phần tử không đúng: cần {}",
                describe_expected(expected.unwrap_or_default())
            ),
            None,
        );
    }
    (syntax(message), None)
}

/// The TOML reader's syntax messages that an edit by hand produces most often.
fn syntax(message: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        (
            "string values must be quoted",
            "giá trị chữ phải đặt trong dấu ngoặc kép \"…\"",
        ),
        ("missing opening quote", "thiếu dấu ngoặc kép mở \""),
        ("invalid basic string", "chuỗi thiếu dấu ngoặc kép đóng \""),
        ("unclosed table", "tên mục thiếu dấu ] đóng"),
        ("unclosed array table", "tên mục [[…]] thiếu dấu ]] đóng"),
        ("unclosed array", "danh sách thiếu dấu ] đóng"),
        (
            "missing comma between array elements",
            "thiếu dấu phẩy giữa các phần tử của danh sách",
        ),
        ("extra comma", "thừa dấu phẩy"),
        (
            "key with no value",
            "khóa chưa có giá trị (viết: khóa = giá trị)",
        ),
        (
            "missing value",
            "khóa chưa có giá trị (viết: khóa = giá trị)",
        ),
        ("missing assignment", "thiếu dấu = giữa khóa và giá trị"),
        ("extra assignment", "thừa dấu ="),
        ("extra `=`", "thừa dấu ="),
        (
            "invalid unquoted key",
            "tên khóa chỉ gồm chữ không dấu, số, _ và -; tên khác phải đặt trong ngoặc kép",
        ),
        (
            "unexpected leading zero",
            "số không được bắt đầu bằng chữ số 0",
        ),
        (
            "`_` may only go between digits",
            "dấu _ chỉ được đứng giữa hai chữ số",
        ),
        ("unclosed inline table", "bảng {…} thiếu dấu } đóng"),
    ];
    for (english, vietnamese) in KNOWN {
        if message.starts_with(english) {
            return format!("sai cú pháp TOML: {vietnamese}");
        }
    }
    "sai cú pháp TOML (kiểm tra dấu ngoặc kép quanh chữ, dấu = giữa khóa và giá trị, dấu ngoặc vuông của tên mục và danh sách)".to_string()
}

/// `X, expected Y` → (X, Some(Y)).
fn split_expected(text: &str) -> (String, Option<&str>) {
    match text.split_once(", expected ") {
        Some((found, expected)) => (
            found.trim().trim_matches('`').to_string(),
            Some(expected.trim()),
        ),
        None => (text.trim().trim_matches('`').to_string(), None),
    }
}

/// The words between backticks: "one of `a`, `b`" → [a, b].
fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, word)| word.to_string())
        .collect()
}

/// serde's description of the value found, in Vietnamese.
fn describe_found(found: &str) -> String {
    let (kind, value) = match found.split_once(' ') {
        Some((kind, value)) => (kind, value.trim().trim_matches('`').trim_matches('"')),
        None => (found, ""),
    };
    let kind = match kind {
        "string" => "chữ",
        "integer" => "số nguyên",
        "float" => "số thập phân",
        "boolean" => "đúng/sai",
        "sequence" => "danh sách",
        "map" => "mục",
        _ => "",
    };
    match (kind.is_empty(), value.is_empty()) {
        (false, false) => format!("«{value}» (kiểu {kind})"),
        (false, true) => format!("kiểu {kind}"),
        _ => "đã ghi".to_string(),
    }
}

/// serde's description of what was expected, in Vietnamese.
fn describe_expected(expected: &str) -> String {
    let expected = expected.trim();
    let unsigned = ["u8", "u16", "u32", "u64", "usize"];
    if unsigned.contains(&expected) {
        return "một số nguyên không âm, không đặt trong ngoặc kép".to_string();
    }
    if ["i8", "i16", "i32", "i64", "isize", "an integer"].contains(&expected) {
        return "một số nguyên, không đặt trong ngoặc kép".to_string();
    }
    if expected.contains("string") || expected.contains("path") {
        return "một chuỗi chữ trong dấu ngoặc kép \"…\"".to_string();
    }
    if expected.contains("sequence") {
        return "một danh sách trong dấu ngoặc vuông [\"…\", \"…\"]".to_string();
    }
    if expected.contains("bool") {
        return "true hoặc false".to_string();
    }
    if expected.starts_with("struct") || expected.contains("map") {
        return "một mục [tên mục] với các khóa của nó".to_string();
    }
    if expected.contains("float") || expected.contains("f64") {
        return "một số (dấu chấm thập phân, ví dụ 90.5)".to_string();
    }
    "giá trị khác (xem chú thích trong tệp cấu hình mẫu)".to_string()
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The name of the `[section]` or `[[section]]` that holds a byte offset (the header itself
/// when the offset is on it: serde points a missing key at its table).
fn section_at(text: &str, offset: usize) -> Option<String> {
    let start = offset.min(text.len());
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let before = text.get(..end)?;
    before.lines().rev().find_map(|line| {
        let line = line.trim();
        let inner = line.strip_prefix('[')?;
        let name = inner.split(']').next()?.trim_start_matches('[').trim();
        (!name.is_empty()).then(|| name.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        organisation: Organisation,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Organisation {
        place: String,
        issue_day: u32,
        #[serde(default)]
        recipients: Vec<String>,
    }

    fn explained(text: &str) -> ConfigFileError {
        let error = toml::from_str::<Sample>(text).expect_err("invalid on purpose");
        explain("baocao.toml", text, &error)
    }

    fn has_no_english(error: &ConfigFileError) {
        for word in [
            "expected",
            "unknown",
            "missing",
            "invalid",
            "field",
            "TOML parse",
        ] {
            assert!(
                !error.explanation.contains(word),
                "English left in «{}»",
                error.explanation
            );
        }
    }

    #[test]
    fn an_unknown_key_names_its_line_section_and_the_keys_allowed() {
        let text = "# đầu tệp\n[organisation]\nplaec = \"Hải Phòng\"\nissue_day = 0\n";
        let error = explained(text);
        assert_eq!(error.line, Some(3));
        assert_eq!(error.key.as_deref(), Some("organisation.plaec"));
        assert!(error.explanation.contains("place"), "{error}");
        has_no_english(&error);
        assert!(error
            .to_string()
            .starts_with("tệp cấu hình baocao.toml, dòng 3, khóa «organisation.plaec»"));
    }

    #[test]
    fn a_wrong_type_says_what_is_expected() {
        let text = "[organisation]\nplace = \"Hải Phòng\"\nissue_day = \"ba\"\n";
        let error = explained(text);
        assert_eq!(error.line, Some(3));
        assert!(error.explanation.contains("số nguyên không âm"), "{error}");
        assert!(error.explanation.contains("«ba»"), "{error}");
        has_no_english(&error);
    }

    #[test]
    fn a_missing_key_is_named() {
        let text = "[organisation]\nplace = \"Hải Phòng\"\n";
        let error = explained(text);
        assert_eq!(error.key.as_deref(), Some("organisation.issue_day"));
        assert!(error.explanation.contains("bắt buộc"), "{error}");
        has_no_english(&error);
    }

    #[test]
    fn a_syntax_error_is_explained_in_vietnamese() {
        let text = "[organisation]\nplace = Hải Phòng\nissue_day = 0\n";
        let error = explained(text);
        assert_eq!(error.line, Some(2));
        assert!(error.explanation.starts_with("sai cú pháp TOML"), "{error}");
        has_no_english(&error);
        let text = "[organisation]\nplace = \"x\"\nissue_day = 0\nrecipients = [\"a\" \"b\"]\n";
        let error = explained(text);
        assert_eq!(error.line, Some(4));
        has_no_english(&error);
    }
}
