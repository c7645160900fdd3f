//! What a successful send returns.

/// The server's acceptance of a message (or its recording under `SUPPRESS_SEND`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReport {
    pub(super) code: u16,
    pub(super) reply: String,
    pub(super) attempts: u32,
    pub(super) message_id: Option<String>,
    pub(super) suppressed: bool,
}

impl SendReport {
    /// The server's reply code to the end of the message, such as `250`.
    pub fn code(&self) -> u16 {
        self.code
    }

    /// The server's reply text, often with its queue id (`2.0.0 Ok: queued as 4Xyz`).
    pub fn reply(&self) -> &str {
        &self.reply
    }

    /// How many attempts it took (1 unless a temporary failure was retried; 0 when suppressed).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The message's `Message-ID` header, to find it in logs or thread replies.
    pub fn message_id(&self) -> Option<&str> {
        self.message_id.as_deref()
    }

    /// Whether the message was recorded instead of sent (`SUPPRESS_SEND`).
    pub fn is_suppressed(&self) -> bool {
        self.suppressed
    }
}
