//! Task lists as the report prints them: lines that share a field (`Lĩnh vực`) are merged
//! under that heading ("- Giáo dục thường xuyên: …; …"), in order of first appearance.

use crate::model::TaskItem;

/// One printed line: an optional field heading and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskLine {
    pub field: String,
    pub text: String,
}

/// Groups tasks by field, keeping the order in which fields first appear; tasks without a
/// field stay one line each.
pub fn group_by_field(items: &[TaskItem]) -> Vec<TaskLine> {
    let mut lines: Vec<(String, Vec<&str>)> = Vec::new();
    for item in items {
        let field = item.field.trim();
        if field.is_empty() {
            lines.push((String::new(), vec![item.content.as_str()]));
        } else if let Some((_, contents)) = lines.iter_mut().find(|(f, _)| {
            !f.is_empty() && crate::text::fold_key(f) == crate::text::fold_key(field)
        }) {
            contents.push(&item.content);
        } else {
            lines.push((field.to_string(), vec![item.content.as_str()]));
        }
    }
    lines
        .into_iter()
        .map(|(field, contents)| TaskLine {
            field,
            text: join_clauses(&contents),
        })
        .collect()
}

/// Joins clauses with "; " and ends with a full stop, whatever punctuation each came with.
fn join_clauses(contents: &[&str]) -> String {
    let trimmed: Vec<&str> = contents
        .iter()
        .map(|c| c.trim().trim_end_matches(['.', ';', ',']).trim_end())
        .filter(|c| !c.is_empty())
        .collect();
    let mut text = trimmed.join("; ");
    if !text.is_empty() && !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

/// A line as printed: `Field: text` or `text`.
pub fn line_text(line: &TaskLine) -> String {
    if line.field.is_empty() {
        line.text.clone()
    } else {
        format!("{}: {}", line.field, line.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(field: &str, content: &str) -> TaskItem {
        TaskItem {
            field: field.into(),
            content: content.into(),
        }
    }

    #[test]
    fn tasks_sharing_a_field_are_merged_in_first_appearance_order() {
        let items = [
            item("Giáo dục thường xuyên", "Tham mưu ban hành văn bản."),
            item("", "Tổ chức tập huấn"),
            item("Giáo dục nghề nghiệp", "Đề xuất điều chỉnh kế hoạch;"),
            item("giao duc thuong xuyen", "Tổ chức 03 đợt thi"),
        ];
        let lines = group_by_field(&items);
        let printed: Vec<String> = lines.iter().map(line_text).collect();
        assert_eq!(
            printed,
            [
                "Giáo dục thường xuyên: Tham mưu ban hành văn bản; Tổ chức 03 đợt thi.",
                "Tổ chức tập huấn.",
                "Giáo dục nghề nghiệp: Đề xuất điều chỉnh kế hoạch.",
            ]
        );
    }

    #[test]
    fn a_closing_quote_gets_its_full_stop() {
        let lines = group_by_field(&[item("", "Chủ đề “Đội mũ xinh”")]);
        assert_eq!(lines[0].text, "Chủ đề “Đội mũ xinh”.");
    }
}
