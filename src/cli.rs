//! Command-line arguments (clap). Help texts are in Vietnamese, for the administrators: every
//! doc comment below is what `--help`, the completions and `man baocao` print. Parse with
//! [`parse_from`] and build with [`command`], never with the derive's own `Cli::parse`, so
//! clap's English words are replaced ([`crate::app::help`]).

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::vn::Period;

/// Tổng hợp báo cáo tháng của các đơn vị thành báo cáo của Sở (DOCX, XLSX).
///
/// baocao đọc các bảng tính các đơn vị nộp (thư mục đầu vào), kiểm tra, tổng hợp số liệu và ghi
/// báo cáo tình hình công tác tháng (DOCX theo Nghị định 30/2020/NĐ-CP), bảng số liệu (XLSX),
/// kết quả thực hiện các chỉ tiêu từ báo cáo thống kê của các trường, phiếu phản hồi cho từng
/// đơn vị; gửi thư khi cấu hình có mục [delivery]. Câu chữ, cơ quan, người ký, đơn vị, chỉ tiêu
/// nằm trong tệp cấu hình và các tệp mẫu câu chữ, sửa không cần biên dịch lại.
#[derive(Debug, Parser)]
#[command(name = "baocao", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Kiểm tra, tổng hợp và ghi báo cáo tháng (DOCX) cùng bảng số liệu (XLSX).
    Run {
        #[command(flatten)]
        args: PeriodArgs,
        /// Chỉ cho biết sẽ ghi những tệp nào, không ghi gì.
        #[arg(long)]
        dry_run: bool,
        /// Ghi thêm bản PDF của các tài liệu (cần LibreOffice).
        #[arg(long)]
        pdf: bool,
        /// Không gửi thư (mục [delivery]); vẫn ghi tài liệu và phiếu phản hồi.
        #[arg(long)]
        no_send: bool,
        /// Gửi lại cả những thư người nhận đã nhận đúng nội dung này.
        #[arg(long, conflicts_with = "no_send")]
        resend: bool,
    },
    /// Chỉ kiểm tra các bảng tính đã nộp và báo lỗi, không ghi tài liệu.
    Check {
        #[command(flatten)]
        args: PeriodArgs,
        /// Gửi phiếu phản hồi cho các đơn vị chưa nộp hoặc có lỗi (nhắc trước hạn nộp).
        #[arg(long)]
        notify: bool,
        /// Với --notify: gửi lại cả khi đơn vị đã nhận đúng phiếu này.
        #[arg(long, requires = "notify")]
        resend: bool,
    },
    /// Liệt kê các kỳ có trong lịch sử số liệu và số liệu toàn Sở của từng kỳ.
    History {
        /// Thư mục kết quả (chứa thư mục lich-su).
        #[arg(long, default_value = "output", value_name = "THƯ_MỤC")]
        output: PathBuf,
        /// Tệp cấu hình.
        #[arg(long, value_name = "TỆP")]
        config: Option<PathBuf>,
    },
    /// Tạo phụ lục phân công nhiệm vụ (DOCX, XLSX) từ một kế hoạch (Biểu B); với --period,
    /// đọc thêm báo cáo tiến độ (Biểu C) cùng thư mục và ghi báo cáo tiến độ.
    Plan {
        /// Bảng tính kế hoạch (Biểu B).
        #[arg(value_name = "TỆP")]
        file: PathBuf,
        /// Thư mục ghi kết quả.
        #[arg(long, default_value = "output", value_name = "THƯ_MỤC")]
        output: PathBuf,
        /// Tệp cấu hình (mặc định: config/baocao.toml, nếu không có thì cấu hình mặc định).
        #[arg(long, value_name = "TỆP")]
        config: Option<PathBuf>,
        /// Kỳ theo dõi tiến độ, dạng YYYY-MM (không ghi thì chỉ tạo phụ lục).
        #[arg(long, value_parser = parse_period, value_name = "YYYY-MM")]
        period: Option<Period>,
    },
    /// Tạo biểu mẫu trắng cho các đơn vị: Biểu A của từng đơn vị và của toàn Sở, Biểu B,
    /// Biểu C (ghi sẵn nhiệm vụ) cho đơn vị chủ trì của mỗi kế hoạch trong thư mục đầu vào, và
    /// Biểu D (thống kê trường học) dùng chung cho mọi trường.
    Forms {
        /// Kỳ báo cáo, dạng YYYY-MM (mặc định: tháng hiện tại).
        #[arg(long, value_parser = parse_period, value_name = "YYYY-MM")]
        period: Option<Period>,
        /// Thư mục ghi biểu mẫu (mỗi kỳ một thư mục con YYYY-MM).
        #[arg(long, default_value = "output/bieu-mau", value_name = "THƯ_MỤC")]
        output: PathBuf,
        /// Chỉ tạo cho các đơn vị này (mã, cách nhau bằng dấu phẩy; SO là toàn Sở).
        #[arg(long, value_delimiter = ',', value_name = "MÃ")]
        units: Vec<String>,
        /// Tệp cấu hình (mặc định: config/baocao.toml, nếu không có thì cấu hình mặc định).
        #[arg(long, value_name = "TỆP")]
        config: Option<PathBuf>,
        /// Thư mục chứa các kế hoạch (Biểu B) để tạo Biểu C (mặc định: input, nếu có).
        #[arg(long, value_name = "THƯ_MỤC")]
        input: Option<PathBuf>,
        /// Tạo thêm Biểu D ghi sẵn thông tin cho từng trường trong danh sách trường.
        #[arg(long)]
        truong: bool,
    },
    /// Gửi những thư còn chờ gửi (máy chủ thư lỗi lúc chạy) của một kỳ, hoặc của mọi kỳ còn thư
    /// chờ trong ba tháng gần nhất; bộ hẹn giờ baocao-gui.timer chạy lệnh này mỗi giờ.
    Send {
        /// Kỳ cần gửi, dạng YYYY-MM (mặc định: các kỳ còn thư chờ gửi trong ba tháng gần nhất).
        #[arg(long, value_parser = parse_period, value_name = "YYYY-MM")]
        period: Option<Period>,
        /// Thư mục kết quả (chứa sổ gửi thư .gui-thu).
        #[arg(long, default_value = "output", value_name = "THƯ_MỤC")]
        output: PathBuf,
        /// Tệp cấu hình (mặc định: config/baocao.toml, nếu không có thì cấu hình mặc định).
        #[arg(long, value_name = "TỆP")]
        config: Option<PathBuf>,
    },
    /// Gửi một thư thử tới địa chỉ cho trước qua máy chủ thư trong mục [delivery] và in câu
    /// trả lời của máy chủ; không gửi báo cáo nào.
    SendTest {
        /// Địa chỉ nhận thư thử.
        #[arg(value_name = "ĐỊA_CHỈ")]
        address: String,
        /// Tệp cấu hình (mặc định: config/baocao.toml, nếu không có thì cấu hình mặc định).
        #[arg(long, value_name = "TỆP")]
        config: Option<PathBuf>,
    },
    /// In tệp gợi ý lệnh (tab completion) cho một trình shell.
    Completions {
        /// Trình shell.
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// In trang hướng dẫn (man page, định dạng roff) của baocao.
    Man,
}

/// Options shared by `run` and `check`.
#[derive(Debug, Args, Clone)]
pub struct PeriodArgs {
    /// Kỳ báo cáo, dạng YYYY-MM (mặc định: tháng trước tháng hiện tại).
    #[arg(long, value_parser = parse_period, value_name = "YYYY-MM")]
    pub period: Option<Period>,
    /// Thư mục chứa các bảng tính đơn vị nộp.
    #[arg(long, default_value = "input", value_name = "THƯ_MỤC")]
    pub input: PathBuf,
    /// Thư mục ghi kết quả.
    #[arg(long, default_value = "output", value_name = "THƯ_MỤC")]
    pub output: PathBuf,
    /// Tệp cấu hình (mặc định: config/baocao.toml, nếu không có thì cấu hình mặc định).
    #[arg(long, value_name = "TỆP")]
    pub config: Option<PathBuf>,
    /// In bản tóm tắt dạng JSON (cho các script giám sát).
    #[arg(long)]
    pub json: bool,
    /// Chỉ in lỗi.
    #[arg(long, conflicts_with = "json")]
    pub quiet: bool,
    /// Cho phép kỳ báo cáo sau tháng hiện tại (mặc định bị từ chối: thường là gõ nhầm năm).
    #[arg(long = "cho-phep-ky-tuong-lai", visible_alias = "allow-future")]
    pub allow_future: bool,
}

/// The command line as `--help`, the completions and the man page show it: clap's derive
/// with its English words replaced by Vietnamese ones.
pub fn command() -> clap::Command {
    crate::app::help::localise(Cli::command())
}

/// Parses a command line with [`command`]; errors (help and version included) are clap's,
/// for [`crate::app::usage::usage_outcome`].
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut command = command();
    let matches = command.try_get_matches_from_mut(args)?;
    Cli::from_arg_matches(&matches).map_err(|error| error.format(&mut command))
}

fn parse_period(text: &str) -> Result<Period, String> {
    text.parse()
}

/// The month before today's: the period a run on the first days of a month reports on.
pub fn default_period(today: chrono::NaiveDate) -> Period {
    Period::of_date(today).previous()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_period_is_last_month_across_a_year_boundary() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid");
        assert_eq!(
            default_period(day(2026, 1, 3)),
            Period::new(2025, 12).expect("valid")
        );
        assert_eq!(
            default_period(day(2025, 12, 5)),
            Period::new(2025, 11).expect("valid")
        );
    }

    #[test]
    fn arguments_parse() {
        let cli =
            parse_from(["baocao", "run", "--period", "2025-11", "--input", "in"]).expect("parses");
        let Command::Run { args, dry_run, .. } = cli.command else {
            panic!("expected run")
        };
        assert!(!dry_run);
        assert_eq!(args.period, Period::new(2025, 11));
        assert_eq!(args.input, PathBuf::from("in"));
        assert!(parse_from(["baocao", "run", "--period", "2025-13"]).is_err());
        let cli = parse_from(["baocao", "check", "--notify"]).expect("parses");
        assert!(matches!(cli.command, Command::Check { notify: true, .. }));
        assert!(parse_from(["baocao", "run", "--no-send", "--resend"]).is_err());
        assert!(parse_from(["baocao", "check", "--resend"]).is_err());
        let cli = parse_from(["baocao", "send", "--period", "2025-11"]).expect("parses");
        assert!(matches!(
            cli.command,
            Command::Send {
                period: Some(_),
                ..
            }
        ));
        let cli = parse_from(["baocao", "send-test", "gd@example.vn"]).expect("parses");
        assert!(
            matches!(cli.command, Command::SendTest { address, .. } if address == "gd@example.vn")
        );
    }
}
