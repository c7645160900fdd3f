//! The `AUTH PLAIN` and `AUTH LOGIN` dialogues, so that the peer learns which login the client
//! sent (and can check it, or echo it).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::session::Conn;

/// `Username:` and `Password:` in base64, the prompts of `AUTH LOGIN`.
const USERNAME_PROMPT: &str = "VXNlcm5hbWU6";
const PASSWORD_PROMPT: &str = "UGFzc3dvcmQ6";

impl Conn {
    /// Runs the dialogue that the command `line` opens and returns the user and password the
    /// client sent; `None` when the client left, sent what does not decode, or asked for
    /// another mechanism.
    pub(crate) async fn auth(&mut self, line: &str) -> Option<(String, String)> {
        let mut words = line.split(' ').skip(1);
        let mechanism = words.next()?.to_ascii_uppercase();
        match mechanism.as_str() {
            "PLAIN" => {
                let response = match words.next() {
                    Some(initial) => decode(initial)?,
                    None => self.prompt("").await?,
                };
                // authorization identity \0 user \0 password
                let mut fields = response.split('\0').skip(1);
                let user = fields.next()?.to_owned();
                let password = fields.next()?.to_owned();
                Some((user, password))
            }
            "LOGIN" => {
                let user = self.prompt(USERNAME_PROMPT).await?;
                let password = self.prompt(PASSWORD_PROMPT).await?;
                Some((user, password))
            }
            _ => None,
        }
    }

    /// Sends the challenge `334 {challenge}` and decodes the client's answer.
    async fn prompt(&mut self, challenge: &str) -> Option<String> {
        if !self.reply(334, challenge).await {
            return None;
        }
        decode(&self.line().await?)
    }
}

/// Decodes standard base64 into UTF-8 text.
fn decode(text: &str) -> Option<String> {
    let bytes = STANDARD.decode(text.trim()).ok()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::{PASSWORD_PROMPT, USERNAME_PROMPT, decode};

    #[test]
    fn decodes_the_prompts_and_a_plain_response() {
        assert_eq!(decode(USERNAME_PROMPT).as_deref(), Some("Username:"));
        assert_eq!(decode(PASSWORD_PROMPT).as_deref(), Some("Password:"));
        assert_eq!(
            decode("AGFwcABFY2gwZWQtUGE1NXdvcmQ=").as_deref(),
            Some("\0app\0Ech0ed-Pa55word")
        );
        assert_eq!(decode("not base64!"), None);
    }
}
