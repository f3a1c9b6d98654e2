//! Markdown for posts, rendered safely: raw HTML is shown as text, never
//! interpreted; remote images are never loaded (an image becomes a link to
//! it); links keep only web and mail schemes and carry
//! `rel="nofollow ugc noopener"`; headings sit below the page's own.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};

/// The HTML for a post body. Everything a member wrote is escaped except the
/// Markdown structure itself.
pub fn render(source: &str) -> String {
    let parser = Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH);
    let mut out = String::with_capacity(source.len() + source.len() / 4);
    // Links whose destination we refused: their end tag is dropped too.
    let mut refused: Vec<bool> = Vec::new();
    let events = parser.filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => None,
        Event::Start(Tag::Heading { level, .. }) => Some(Event::Start(Tag::Heading {
            level: demote(level),
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(demote(level)))),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        }) => {
            // Mail autolinks arrive without their scheme.
            let url = if link_type == LinkType::Email {
                CowStr::from(format!("mailto:{dest_url}"))
            } else {
                dest_url
            };
            Some(open_link(&url, &mut refused))
        }
        Event::Start(Tag::Image { dest_url, .. }) => Some(open_link(&dest_url, &mut refused)),
        Event::End(TagEnd::Link | TagEnd::Image) => {
            if refused.pop().unwrap_or(true) {
                None
            } else {
                Some(Event::InlineHtml(CowStr::Borrowed("</a>")))
            }
        }
        other => Some(other),
    });
    html::push_html(&mut out, events);
    out
}

/// The opening `<a>` of a link (or of an image, shown as a link), or
/// nothing when the destination is refused; `refused` remembers which, for
/// the closing tag.
fn open_link<'a>(url: &str, refused: &mut Vec<bool>) -> Event<'a> {
    match safe_url(url) {
        Some(url) => {
            refused.push(false);
            Event::InlineHtml(CowStr::from(format!(
                "<a href=\"{}\" rel=\"nofollow ugc noopener\">",
                escape_attr(url)
            )))
        }
        None => {
            refused.push(true);
            Event::Text(CowStr::Borrowed(""))
        }
    }
}

/// Post headings start at level 3 (the page has h1, the post list h2).
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// `http(s)://`, `mailto:`, or a path on this site; anything else
/// (`javascript:`, `data:`, protocol-relative `//host`) is refused.
fn safe_url(url: &str) -> Option<&str> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    let ok = lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (trimmed.starts_with('/') && !trimmed.starts_with("//") && !trimmed.starts_with("/\\"));
    (ok && !trimmed.chars().any(char::is_control)).then_some(trimmed)
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A post quoted for a reply: "> **who:**" and its first 40 lines.
pub fn quote(handle: &str, body: &str) -> String {
    let mut out = format!("> **{handle}:**\n>\n");
    for line in body.lines().take(40) {
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn raw_html_is_shown_as_text() {
        let html =
            render("hello <script>alert(1)</script> <b onclick=x>bold</b>\n\n<div>block</div>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn links_keep_safe_schemes_and_carry_rel() {
        let html = render(
            "[site](https://example.org/a?b=1&c=\"2\") [bad](javascript:alert(1)) [data](data:text/html,x) [proto](//evil.example)",
        );
        assert!(html.contains("<a href=\"https://example.org/a?b=1&amp;c=%222%22\" rel=\"nofollow ugc noopener\">site</a>")
            || html.contains("rel=\"nofollow ugc noopener\">site</a>"), "{html}");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(!html.contains("//evil"), "{html}");
        assert!(html.contains("bad") && html.contains("data") && html.contains("proto"));
    }

    #[test]
    fn autolinks_are_safe_links() {
        let html = render("<https://example.org> <javascript:alert(1)>");
        assert!(html.contains("rel=\"nofollow ugc noopener\""), "{html}");
        assert!(!html.contains("href=\"javascript"), "{html}");
    }

    #[test]
    fn mail_autolinks_become_mailto_links() {
        let html = render("write to <help@example.org>");
        assert!(html.contains("href=\"mailto:help@example.org\""), "{html}");
    }

    #[test]
    fn images_never_load() {
        let html = render("![a cat](https://tracker.example/cat.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("a cat"), "{html}");
    }

    #[test]
    fn headings_sit_below_the_page_headings() {
        let html = render("# Big\n\n## Smaller");
        assert!(
            html.contains("<h3>Big</h3>") && html.contains("<h4>Smaller</h4>"),
            "{html}"
        );
    }

    #[test]
    fn deep_nesting_renders_without_trouble() {
        let deep = ">".repeat(20_000) + " x";
        let html = render(&deep);
        assert!(html.contains('x'));
        let brackets = "[".repeat(20_000);
        let _ = render(&brackets);
    }
}
