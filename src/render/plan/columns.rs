//! The columns of a plan's assignment table, shared by the DOCX annex and the XLSX annex so
//! both show the same columns in the same order with the same lead-unit lines.

use crate::plan::model::TimeColumns;
use crate::plan::{Plan, PlanTask};

/// A column of the assignment table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnexColumn {
    Number,
    Task,
    Lead,
    Partners,
    Result,
    Time,
    Start,
    End,
    Note,
}

impl AnnexColumn {
    /// The header as the table prints it.
    pub fn label(self) -> &'static str {
        match self {
            AnnexColumn::Number => "TT",
            AnnexColumn::Task => "Nhiệm vụ",
            AnnexColumn::Lead => "Đơn vị chủ trì",
            AnnexColumn::Partners => "Đơn vị phối hợp",
            AnnexColumn::Result => "Kết quả / Sản phẩm",
            AnnexColumn::Time => "Thời gian thực hiện",
            AnnexColumn::Start => "Bắt đầu",
            AnnexColumn::End => "Hoàn thành",
            AnnexColumn::Note => "Ghi chú",
        }
    }

    /// Relative width, so that the task and its result get the room they need.
    pub fn weight(self) -> usize {
        match self {
            AnnexColumn::Number => 4,
            AnnexColumn::Task => 25,
            AnnexColumn::Lead => 18,
            AnnexColumn::Partners => 19,
            AnnexColumn::Result => 20,
            AnnexColumn::Time => 10,
            AnnexColumn::Start | AnnexColumn::End => 8,
            AnnexColumn::Note => 10,
        }
    }

    /// Whether the column's text is centred (numbers and months) rather than left-aligned.
    pub fn centred(self) -> bool {
        matches!(
            self,
            AnnexColumn::Number | AnnexColumn::Time | AnnexColumn::Start | AnnexColumn::End
        )
    }

    /// A task's text in this column; line breaks separate lines.
    pub fn text(self, task: &PlanTask) -> String {
        match self {
            AnnexColumn::Number => task.number.to_string(),
            AnnexColumn::Task => task.content.clone(),
            AnnexColumn::Lead => lead_lines(task).join("\n"),
            AnnexColumn::Partners => task.partners_text.clone(),
            AnnexColumn::Result => task.result.clone(),
            AnnexColumn::Time => task.time_text.clone(),
            AnnexColumn::Start => task.start_text.clone(),
            AnnexColumn::End => task.end_text.clone(),
            AnnexColumn::Note => task.note.clone(),
        }
    }
}

/// The columns the plan needs: results, time and notes only when the plan fills them in.
pub fn annex_columns(plan: &Plan) -> Vec<AnnexColumn> {
    let mut columns = vec![
        AnnexColumn::Number,
        AnnexColumn::Task,
        AnnexColumn::Lead,
        AnnexColumn::Partners,
    ];
    if plan.has_results() {
        columns.push(AnnexColumn::Result);
    }
    match plan.time_columns() {
        TimeColumns::Months => columns.extend([AnnexColumn::Start, AnnexColumn::End]),
        TimeColumns::Text => columns.push(AnnexColumn::Time),
        TimeColumns::None => {}
    }
    if plan.has_notes() {
        columns.push(AnnexColumn::Note);
    }
    columns
}

/// Lead units one per line as the seeds write several (`- Phòng GDTrH;` … last without `;`);
/// a single lead unit is written plainly.
pub fn lead_lines(task: &PlanTask) -> Vec<String> {
    match task.leads.as_slice() {
        [] => Vec::new(),
        [only] => vec![only.written.clone()],
        many => many
            .iter()
            .enumerate()
            .map(|(i, lead)| {
                if i + 1 == many.len() {
                    format!("- {}", lead.written)
                } else {
                    format!("- {};", lead.written)
                }
            })
            .collect(),
    }
}

/// The columns' relative widths for this plan: the lead column as wide as most of its lines
/// need (from `Phòng KHTC` in seed 001 to `Phòng Giáo dục và Đào tạo` in seed 003), the others
/// fixed; the task column takes what is left.
pub fn column_weights(plan: &Plan, columns: &[AnnexColumn]) -> Vec<usize> {
    let mut lengths: Vec<usize> = plan
        .tasks
        .iter()
        .flat_map(lead_lines)
        .map(|line| line.chars().count())
        .collect();
    lengths.sort_unstable();
    let typical = lengths
        .get(lengths.len().saturating_sub(1) * 9 / 10)
        .copied()
        .unwrap_or(20);
    let lead = (typical * 9 / 10).clamp(10, 22);
    columns
        .iter()
        .map(|c| match c {
            AnnexColumn::Lead => lead,
            other => other.weight(),
        })
        .collect()
}

/// Column widths in twips filling `total`, proportional to `weights`; rounding goes to the
/// task column.
pub fn column_widths(columns: &[AnnexColumn], weights: &[usize], total: usize) -> Vec<usize> {
    let task = columns.iter().position(|c| *c == AnnexColumn::Task);
    widths_filling(weights, total, task)
}

/// Widths filling `total`, proportional to `weights`; what rounding leaves goes to the
/// column `remainder_to` (the widest text), so the table is exactly as wide as the page.
pub fn widths_filling(weights: &[usize], total: usize, remainder_to: Option<usize>) -> Vec<usize> {
    let sum: usize = weights.iter().sum::<usize>().max(1);
    let mut widths: Vec<usize> = weights.iter().map(|w| total * w / sum).collect();
    let used: usize = widths.iter().sum();
    if let Some(width) = remainder_to.and_then(|i| widths.get_mut(i)) {
        *width += total.saturating_sub(used);
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fill_the_landscape_text_width() {
        let columns = [
            AnnexColumn::Number,
            AnnexColumn::Task,
            AnnexColumn::Lead,
            AnnexColumn::Partners,
            AnnexColumn::Start,
            AnnexColumn::End,
        ];
        let weights: Vec<usize> = columns.iter().map(|c| c.weight()).collect();
        let widths = column_widths(&columns, &weights, 14_286);
        assert_eq!(widths.iter().sum::<usize>(), 14_286);
        assert!(widths[1] > widths[3] && widths[3] > widths[2] && widths[2] > widths[4]);
    }
}
