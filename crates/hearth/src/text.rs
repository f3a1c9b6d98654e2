//! What members type, checked the same way on every write path: trimmed,
//! within its length, without control characters, and on one line without
//! invisible formatting.

/// The longest writing any write path takes (a post, a chat message, a
/// draft checked for crisis words), in characters.
pub const WRITING_MAX: usize = 20_000;

/// Trimmed text of `min..=max` characters with no control characters
/// (newlines allowed where `multiline`).
pub fn parse_text(
    raw: &str,
    min: usize,
    max: usize,
    multiline: bool,
    error: &'static str,
) -> Result<String, &'static str> {
    let text = raw.trim().replace("\r\n", "\n");
    let len = text.chars().count();
    if !(min..=max).contains(&len) || (!multiline && text.contains('\n')) {
        return Err(error);
    }
    // Tabs and (where allowed) line breaks; no other invisible controls.
    if text
        .chars()
        .any(|c| c.is_control() && !(c == '\t' || (multiline && c == '\n')))
    {
        return Err("error-text-control");
    }
    // A name or title on one line: no invisible formatting either (it can
    // turn "txt.exe" into "exe.txt" on screen, or hide a look-alike).
    if !multiline && text.chars().any(invisible_format) {
        return Err("error-text-control");
    }
    Ok(text)
}

/// Direction overrides and isolates, direction marks and invisible spaces
/// and joiners-that-join-nothing. The zero-width joiner and non-joiner are
/// left alone: emoji sequences and some scripts need them.
pub fn invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_are_trimmed_and_capped() {
        assert_eq!(
            parse_text("  hi there  ", 3, 10, false, "e"),
            Ok("hi there".into())
        );
        assert_eq!(parse_text("x", 3, 10, false, "e"), Err("e"));
        assert_eq!(parse_text("line\nbreak", 3, 20, false, "e"), Err("e"));
        assert!(parse_text("line\r\nbreak", 3, 20, true, "e").is_ok());
    }
}
