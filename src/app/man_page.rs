//! `man baocao`: the manual page in Vietnamese, roff. The synopsis, the commands and their
//! options are read from the same clap definitions as `--help` ([`crate::cli::command`]),
//! so a subcommand or an option added there appears here without touching this file; what
//! clap does not know — exit statuses, files, environment, examples — is written below.
//! The page names no other manual page: the package installs only this one.

use clap::{Arg, Command};

use super::exit::Outcome;
use super::help::{default_values, is_help_or_version, possible_values, usage, value_name};
use super::usage::EX_USAGE;

/// The page's section headings, in order (tested: every one is present).
pub const SECTIONS: [&str; 10] = [
    "TÊN",
    "CÚ PHÁP",
    "MÔ TẢ",
    "LỆNH",
    "TÙY CHỌN CHUNG",
    "MÃ THOÁT",
    "TỆP",
    "BIẾN MÔI TRƯỜNG",
    "VÍ DỤ",
    "XEM THÊM",
];

/// The whole page for the command tree `command` (built by [`crate::cli::command`]).
pub fn render(command: &Command) -> String {
    let mut page = Page::default();
    let name = command.get_name().to_string();
    let version = command.get_version().unwrap_or_default();
    page.control(&format!(
        ".TH {} 1 \"\" \"{}\" \"Hướng dẫn sử dụng baocao\"",
        quoted(&name.to_uppercase()),
        quoted(&format!("{name} {version}"))
    ));
    // No hyphenation, ragged right: file names and options stay whole and copyable.
    page.control(".nh");
    page.control(".ad l");

    page.heading(SECTIONS[0]);
    let about = command
        .get_about()
        .map(ToString::to_string)
        .unwrap_or_default();
    page.text(&format!("{name} - {}", about.trim_end_matches('.')));

    page.heading(SECTIONS[1]);
    for sub in visible_subcommands(command) {
        page.control(".PP");
        page.synopsis(&usage(sub, &format!("{name} {}", sub.get_name())));
    }
    page.control(".PP");
    page.synopsis(&format!("{name} --help | --version"));

    page.heading(SECTIONS[2]);
    let description = command
        .get_long_about()
        .or_else(|| command.get_about())
        .map(ToString::to_string)
        .unwrap_or_default();
    page.paragraphs(&description);
    page.control(".PP");
    page.text(&format!(
        "Mỗi lệnh có hướng dẫn riêng: {name} LỆNH --help. Mọi thông báo, tài liệu bằng tiếng Việt; \
         tệp đầu vào chỉ được đọc, không bao giờ bị sửa."
    ));

    page.heading(SECTIONS[3]);
    for sub in visible_subcommands(command) {
        page.control(&format!(".SS {}", escape(sub.get_name())));
        page.synopsis(&usage(sub, &format!("{name} {}", sub.get_name())));
        page.control(".PP");
        let about = sub
            .get_long_about()
            .or_else(|| sub.get_about())
            .map(ToString::to_string)
            .unwrap_or_default();
        page.paragraphs(&about);
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            page.option(arg);
        }
    }

    page.heading(SECTIONS[4]);
    for arg in command.get_arguments().filter(|a| is_help_or_version(a)) {
        page.option(arg);
    }
    page.control(".PP");
    page.text("Tùy chọn -h, --help dùng được với mọi lệnh.");

    page.heading(SECTIONS[5]);
    page.text("Mã thoát là giao ước với cron, systemd và các script giám sát:");
    for (code, meaning) in exit_statuses() {
        page.control(".TP");
        page.bold(&code.to_string());
        page.text(meaning);
    }

    page.heading(SECTIONS[6]);
    for (path, meaning) in FILES {
        page.control(".TP");
        page.bold(path);
        page.text(meaning);
    }

    page.heading(SECTIONS[7]);
    for (variable, meaning) in ENVIRONMENT {
        page.control(".TP");
        page.bold(variable);
        page.text(meaning);
    }

    page.heading(SECTIONS[8]);
    for (what, line) in EXAMPLES {
        page.control(".PP");
        page.text(what);
        page.control(".PP");
        page.control(".RS 4");
        page.control(".nf");
        page.text(line);
        page.control(".fi");
        page.control(".RE");
    }

    page.heading(SECTIONS[9]);
    page.text(
        "Hướng dẫn đầy đủ (các lệnh, cấu hình, gửi thư, lịch chạy, mã thoát) và hướng dẫn cài đặt \
         lần đầu cho một Sở khác:",
    );
    for doc in DOCUMENTS {
        page.control(".TP");
        page.bold(doc.0);
        page.text(doc.1);
    }
    page.finish()
}

/// The subcommands shown, in their declared order.
fn visible_subcommands(command: &Command) -> impl Iterator<Item = &Command> {
    command.get_subcommands().filter(|sub| !sub.is_hide_set())
}

/// Every exit status with its meaning; the codes come from [`Outcome`] and [`EX_USAGE`].
pub fn exit_statuses() -> Vec<(u8, &'static str)> {
    let meaning = |outcome: Outcome| match outcome {
        Outcome::Complete => {
            "Mọi đơn vị đã nộp, không bảng tính nào bị từ chối (lệnh forms, plan, history, \
             completions, man: thành công)."
        }
        Outcome::Failed => {
            "Không tạo được gì: cấu hình hoặc mẫu câu chữ sai, thiếu thư mục đầu vào, không có \
             bảng tính hợp lệ nào và không có kế hoạch của kỳ. Cần xử lý."
        }
        Outcome::Partial => {
            "Đã ghi tài liệu, nhưng có bảng tính bị từ chối (hoặc số liệu bị giữ lại) hoặc có đơn \
             vị chưa nộp; hoặc chỉ ghi được tài liệu của các kế hoạch. Bình thường trong những \
             ngày đầu tháng; xem bản tóm tắt và tệp kiem-tra-YYYY-MM.txt."
        }
        Outcome::Busy => {
            "Một lần chạy khác đang ghi vào thư mục kết quả; lần chạy này không làm gì. Chạy lại \
             sau."
        }
        Outcome::DeliveryFailed => {
            "Gửi thư không được (máy chủ thư không kết nối được hoặc quá chậm so với \
             timeout_seconds, từ chối đăng nhập, từ chối một địa chỉ, không ghi được sổ gửi thư, \
             mục [delivery] không dùng được), dù các việc khác thế nào: với run tài liệu vẫn được \
             ghi; với check --notify, send, send-test cũng vậy. Thư còn chờ được baocao send \
             (bộ hẹn giờ baocao-gui.timer) hoặc lần chạy sau gửi nốt."
        }
        Outcome::Usage => {
            "Dòng lệnh sai (tùy chọn không có, giá trị sai như --period 2025-13, một kỳ sau \
             tháng hiện tại mà không có --cho-phep-ky-tuong-lai); không làm gì. Sửa dòng cron \
             hoặc ExecStart."
        }
    };
    let mut statuses: Vec<(u8, &'static str)> = [
        Outcome::Complete,
        Outcome::Failed,
        Outcome::Partial,
        Outcome::Busy,
        Outcome::DeliveryFailed,
        Outcome::Usage,
    ]
    .into_iter()
    .map(|outcome| (outcome.code(), meaning(outcome)))
    .collect();
    debug_assert_eq!(Outcome::Usage.code(), EX_USAGE);
    statuses.sort_by_key(|(code, _)| *code);
    statuses
}

const FILES: [(&str, &str); 12] = [
    (
        "--config TỆP, $BAOCAO_CONFIG, ./config/baocao.toml, /etc/baocao/baocao.toml",
        "Tệp cấu hình, tìm theo thứ tự này; tệp đầu tiên có được dùng. Không có tệp nào thì dùng \
         cấu hình mẫu cài sẵn, kèm cảnh báo. Cơ quan, địa phương, người ký, nơi nhận, các đơn vị, \
         hạn nộp, biểu mẫu, trường học, gửi thư.",
    ),
    (
        "templates/bao-cao-thang.toml, templates/gui-thu.toml, templates/huong-dan.toml",
        "Câu chữ của báo cáo, của thư và phiếu phản hồi, của biểu mẫu trắng (khi cài gói: \
         /etc/baocao/templates/). Đường dẫn tương đối so với tệp cấu hình.",
    ),
    (
        "templates/mau-van-ban.docx",
        "Mẫu văn bản Word: kiểu chữ, lề trang, đầu trang của mọi tệp DOCX.",
    ),
    (
        "chi-tieu.toml, truong.csv",
        "Các chỉ tiêu và mục tiêu; danh sách trường phải báo cáo (mục [schools] của cấu hình).",
    ),
    (
        "input/",
        "Thư mục đầu vào (--input): bảng tính các đơn vị, trường nộp, đọc cả thư mục con. Khi cài \
         gói: /var/lib/baocao/input.",
    ),
    (
        "output/YYYY-MM/",
        "Kết quả của một kỳ: báo cáo (DOCX), bảng số liệu và chỉ tiêu (XLSX), phụ lục, \
         kiem-tra-YYYY-MM.txt, nhat-ky-chay.txt, manifest.json, phan-hoi/ (phiếu phản hồi từng \
         đơn vị). Khi cài gói: /var/lib/baocao/output.",
    ),
    (
        "output/lich-su/YYYY-MM.parquet",
        "Lịch sử số liệu: mỗi kỳ đã chạy lệnh run một tệp, mỗi đơn vị (và toàn Sở) một dòng; dùng \
         để so sánh với tháng trước, cùng kỳ năm trước và lũy kế. Xem bằng lệnh history.",
    ),
    (
        "output/.gui-thu/YYYY-MM.json",
        "Những thư đã gửi của kỳ (người nhận, Message-ID, thời gian, SHA-256 tệp đính kèm), để \
         không gửi trùng.",
    ),
    (
        "output/bieu-mau/YYYY-MM/",
        "Biểu mẫu trắng do lệnh forms tạo.",
    ),
    (
        "output/.baocao.lock",
        "Khóa: mỗi thư mục kết quả chỉ một lần chạy tại một thời điểm (mã thoát 3).",
    ),
    (
        "/lib/systemd/system/baocao.timer, baocao-nhac.timer",
        "Lịch chạy khi cài gói: báo cáo lúc 07:00 ngày 4 hằng tháng; nhắc các đơn vị (check \
         --notify) lúc 07:00 ngày 1 đến 3.",
    ),
    (
        "/etc/baocao/smtp.env",
        "Mật khẩu máy chủ thư cho các dịch vụ systemd (BAOCAO_SMTP_PASSWORD=…, chmod 600).",
    ),
];

const ENVIRONMENT: [(&str, &str); 4] = [
    (
        "BAOCAO_CONFIG",
        "Đường dẫn tệp cấu hình, khi không có --config. Tệp được chỉ định mà không đọc được thì \
         dừng với mã thoát 1.",
    ),
    (
        "BAOCAO_LOG",
        "Mức ghi nhật ký ra luồng lỗi chuẩn: error, warn, info, debug (debug: thêm một dòng cho \
         mỗi tệp đầu vào và mọi thông báo kiểm tra).",
    ),
    (
        "BAOCAO_SMTP_PASSWORD",
        "Mật khẩu đăng nhập máy chủ thư (hoặc khóa smtp_password_file của mục [delivery]); không \
         bao giờ được ghi ra nhật ký hay tệp kết quả.",
    ),
    (
        "JOURNAL_STREAM",
        "Do systemd đặt: khi có, mỗi dòng nhật ký mang mức ưu tiên của journal, để journalctl -p \
         warning -u baocao lọc được.",
    ),
];

const EXAMPLES: [(&str, &str); 8] = [
    (
        "Tổng hợp báo cáo tháng 11/2025 từ thư mục input/, ghi vào output/2025-11/:",
        "baocao run --period 2025-11",
    ),
    (
        "Kiểm tra các bảng tính đã nộp, không ghi gì; chỉ in lỗi:",
        "baocao check --quiet",
    ),
    (
        "Nhắc các đơn vị chưa nộp hoặc có lỗi (gửi phiếu phản hồi qua thư):",
        "baocao check --notify",
    ),
    (
        "Chạy với cấu hình khác, thêm bản PDF, không gửi thư:",
        "baocao run --config /etc/baocao/baocao.toml --pdf --no-send",
    ),
    (
        "Bản tóm tắt dạng JSON cho script giám sát:",
        "baocao check --json | jq .reporting_rate_percent",
    ),
    (
        "Tạo biểu mẫu trắng tháng 12/2025 để gửi các đơn vị và các trường:",
        "baocao forms --period 2025-12 --truong",
    ),
    (
        "Xem các kỳ đã có trong lịch sử số liệu:",
        "baocao history --output /var/lib/baocao/output",
    ),
    (
        "Lập phụ lục phân công nhiệm vụ từ một kế hoạch, kèm báo cáo tiến độ tháng 1/2026:",
        "baocao plan \"input/Kế hoạch 2026.xlsx\" --period 2026-01",
    ),
];

const DOCUMENTS: [(&str, &str); 2] = [
    (
        "/usr/share/doc/baocao/README.md",
        "Các lệnh, cấu hình, gửi thư, cài đặt, lịch chạy.",
    ),
    (
        "/usr/share/doc/baocao/setup.md",
        "Cài đặt lần đầu cho một Sở: sửa gì, theo thứ tự nào, kiểm tra từng bước ra sao.",
    ),
];

/// The roff text being built.
#[derive(Default)]
struct Page {
    text: String,
}

impl Page {
    fn control(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn heading(&mut self, title: &str) {
        self.control(&format!(".SH \"{}\"", quoted(title)));
    }

    fn text(&mut self, line: &str) {
        self.text.push_str(&escape(line));
        self.text.push('\n');
    }

    fn bold(&mut self, line: &str) {
        self.text.push_str(&format!("\\fB{}\\fR\n", escape(line)));
    }

    /// A usage line: the command in bold, the rest as is.
    fn synopsis(&mut self, line: &str) {
        self.bold(line);
    }

    /// Text with blank lines as paragraph breaks.
    fn paragraphs(&mut self, text: &str) {
        for line in text.lines() {
            if line.trim().is_empty() {
                self.control(".PP");
            } else {
                self.text(line.trim());
            }
        }
    }

    /// One option: its names and value in bold, then its help (with its default and
    /// choices, which [`super::help::localise`] put into the help text).
    fn option(&mut self, arg: &Arg) {
        self.control(".TP");
        let mut names = Vec::new();
        if let Some(short) = arg.get_short() {
            names.push(format!("-{short}"));
        }
        if let Some(long) = arg.get_long() {
            names.push(format!("--{long}"));
        }
        let head = if arg.is_positional() {
            format!("\\fI{}\\fR", escape(&value_name(arg)))
        } else if super::help::takes_values(arg) {
            format!(
                "\\fB{}\\fR \\fI{}\\fR",
                escape(&names.join(", ")),
                escape(&value_name(arg))
            )
        } else {
            format!("\\fB{}\\fR", escape(&names.join(", ")))
        };
        self.control(&head);
        let help = arg
            .get_long_help()
            .or_else(|| arg.get_help())
            .map(ToString::to_string)
            .unwrap_or_default();
        // The help text already carries the defaults and choices; without it, say them here.
        let mut notes = Vec::new();
        let choices = if super::help::takes_values(arg) {
            possible_values(arg)
        } else {
            Vec::new()
        };
        if !choices.is_empty() && !help.contains("giá trị:") {
            notes.push(format!("giá trị: {}", choices.join(", ")));
        }
        let defaults = if super::help::takes_values(arg) {
            default_values(arg)
        } else {
            Vec::new()
        };
        if !defaults.is_empty() && !help.contains("mặc định:") {
            notes.push(format!("mặc định: {}", defaults.join(", ")));
        }
        let line = if notes.is_empty() {
            help
        } else {
            format!("{help} ({})", notes.join("; "))
        };
        self.text(line.trim());
    }

    fn finish(self) -> String {
        self.text
    }
}

/// Text made safe for roff: backslashes, dashes (so options copy as typed), and a leading
/// dot or quote that would read as a request.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            '.' | '\'' if i == 0 => {
                out.push_str("\\&");
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text for a quoted macro argument (`.TH "…"`).
fn quoted(text: &str) -> String {
    escape(text).replace('"', "\"\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_requests_cannot_be_smuggled_in() {
        assert_eq!(escape(".SH x"), "\\&.SH x");
        assert_eq!(escape("a\\b --c"), "a\\eb \\-\\-c");
    }

    #[test]
    fn every_exit_status_is_documented_once() {
        let codes: Vec<u8> = exit_statuses().iter().map(|(code, _)| *code).collect();
        assert_eq!(codes, [0, 1, 2, 3, 4, 64]);
    }
}
