//! Lateness as the report states it: `Trễ hạn: 53 phút`, `Trễ hạn: 2 ngày 3 giờ`.

use chrono::Duration;

/// A lateness in Vietnamese, to the two largest units that matter, seconds dropped:
/// 53 min 49 s → `53 phút`; 2 days 3 h 10 min → `2 ngày 3 giờ`; 1 h 5 min → `1 giờ 5 phút`.
pub fn format_lateness(late: Duration) -> String {
    let minutes_total = late.num_minutes().max(0);
    if minutes_total == 0 {
        return "dưới 1 phút".to_string();
    }
    let days = minutes_total / (24 * 60);
    let hours = (minutes_total / 60) % 24;
    let minutes = minutes_total % 60;
    if days > 0 {
        if hours > 0 {
            format!("{days} ngày {hours} giờ")
        } else {
            format!("{days} ngày")
        }
    } else if hours > 0 {
        if minutes > 0 {
            format!("{hours} giờ {minutes} phút")
        } else {
            format!("{hours} giờ")
        }
    } else {
        format!("{minutes} phút")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lateness_in_words() {
        let cases = [
            (Duration::minutes(53) + Duration::seconds(49), "53 phút"),
            (
                Duration::days(2) + Duration::hours(3) + Duration::minutes(10),
                "2 ngày 3 giờ",
            ),
            (Duration::days(1), "1 ngày"),
            (Duration::hours(1) + Duration::minutes(5), "1 giờ 5 phút"),
            (Duration::hours(4), "4 giờ"),
            (Duration::seconds(30), "dưới 1 phút"),
            (Duration::seconds(-30), "dưới 1 phút"),
        ];
        for (late, expected) in cases {
            assert_eq!(format_lateness(late), expected);
        }
    }
}
