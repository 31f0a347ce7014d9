//! A message as it goes over the wire: MIME with a UTF-8 plain-text body, the Vietnamese
//! subject encoded per RFC 2047 (lettre), and the documents as attachments.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

use super::{DeliveryError, DeliverySettings, Outgoing};

/// A built message and the Message-ID it carries, for the ledger.
pub struct Built {
    pub message: Message,
    pub message_id: String,
}

/// Builds the message of `outgoing` for the one `recipient`, with the Message-ID of
/// [`message_id`]: the same content to the same person for the same period is the same
/// message to the reader's client, even when sent again after a crash.
pub fn build(
    settings: &DeliverySettings,
    outgoing: &Outgoing,
    recipient: &str,
    period: &str,
) -> Result<Built, DeliveryError> {
    let from: Mailbox = parse_mailbox(&settings.from, "from")?;
    let to = parse_mailbox(recipient, "người nhận")?;
    let message_id = message_id(period, recipient, &outgoing.fingerprint(), &from);
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(outgoing.subject.clone())
        .message_id(Some(message_id.clone()))
        .user_agent(format!("baocao {}", env!("CARGO_PKG_VERSION")));
    let mut mixed = MultiPart::mixed().singlepart(SinglePart::plain(outgoing.body.clone()));
    for attachment in &outgoing.attachments {
        mixed = mixed.singlepart(
            Attachment::new(attachment.name.clone())
                .body(attachment.bytes.clone(), content_type(&attachment.name)),
        );
    }
    let message = builder.multipart(mixed).map_err(|e| {
        DeliveryError::Address(format!("không tạo được thư «{}»: {e}", outgoing.subject))
    })?;
    Ok(Built {
        message,
        message_id,
    })
}

/// `<hash.period@domain>`: the hash of the period, the recipient (lower case) and the
/// message's fingerprint (body, attachments' SHA-256); the domain is the sender's.
pub fn message_id(period: &str, recipient: &str, fingerprint: &str, from: &Mailbox) -> String {
    let key = format!(
        "{period}\n{}\n{fingerprint}",
        recipient.trim().to_lowercase()
    );
    let hash = crate::deliver::manifest::sha256_hex(key.as_bytes());
    format!("<{}.{period}@{}>", &hash[..32], from.email.domain())
}

fn parse_mailbox(text: &str, role: &str) -> Result<Mailbox, DeliveryError> {
    text.trim().parse().map_err(|_| {
        DeliveryError::Address(format!(
            "địa chỉ thư «{text}» ({role}) không hợp lệ; viết dạng ten@example.vn hoặc «Tên <ten@example.vn>»"
        ))
    })
}

fn content_type(name: &str) -> ContentType {
    let mime = match name.rsplit('.').next().unwrap_or_default() {
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    ContentType::parse(mime).unwrap_or(ContentType::TEXT_PLAIN)
}
