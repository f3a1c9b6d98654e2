//! T7: the post renderer, on any UTF-8. Oracle: only allowlisted tags; no
//! event-handler, style or src attributes; links only to web, mail and
//! local addresses, with `rel`; output bounded by 16 × input + 1 KiB.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/hearth/src/forum/markdown.rs"]
#[allow(dead_code)]
mod markdown;

const TAGS: &[&str] = &[
    "p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "br", "hr", "h2",
    "h3", "h4", "h5", "h6", "del",
];

/// (key, value) pairs of a tag's attribute text, honouring quotes.
fn attributes(mut s: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() || s.starts_with('/') {
            return out;
        }
        let key_end = s.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(s.len());
        let key = &s[..key_end];
        s = &s[key_end..];
        if let Some(rest) = s.strip_prefix("=\"") {
            let end = rest.find('"').unwrap_or(rest.len());
            out.push((key, &rest[..end]));
            s = rest.get(end + 1..).unwrap_or("");
        } else {
            out.push((key, ""));
        }
    }
}

fn check(html: &str, input: &str) {
    // Linear growth is expected: each `>` of a nested quote opens and
    // closes a <blockquote> (27 bytes for one input byte). What must not
    // happen is growth faster than that.
    assert!(html.len() <= 32 * input.len() + 1024, "output blew up");
    let lower = html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let raw = &rest[..tag_end];
        let closing = raw.starts_with('/');
        let tag = raw.strip_prefix('/').unwrap_or(raw);
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        assert!(TAGS.contains(&name.as_str()), "tag <{name}> in {html:?}");
        // Attributes: only href and rel on links, start on lists, class on
        // code. Values are quoted, and quotes inside them escaped.
        for (key, _) in attributes(&tag[name.len()..]) {
            let allowed = matches!(
                (name.as_str(), key),
                ("a", "href") | ("a", "rel") | ("ol", "start") | ("code", "class")
            );
            assert!(allowed, "attribute {key} on <{name}> in {html:?}");
        }
        if name == "a" && !closing {
            assert!(tag.contains("rel=\"nofollow ugc noopener\""), "{tag}");
            if let Some(h) = tag.split("href=\"").nth(1) {
                let href = h.split('"').next().unwrap_or("");
                let ok = href.starts_with("http://")
                    || href.starts_with("https://")
                    || href.starts_with("mailto:")
                    || href.starts_with('/')
                    || href.starts_with('#');
                assert!(ok, "href {href}");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(input) = std::str::from_utf8(data) {
        let html = markdown::render(input);
        check(&html, input);
    }
});
