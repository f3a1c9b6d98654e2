//! Languages. Every user-facing string lives in `locales/<lang>/*.ftl`
//! (Fluent). The language of a request is, in order: the `lang` query
//! parameter, the account's setting, the browser's `Accept-Language`, the
//! server default.

use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Bidi isolation marks would end up as invisible characters in HTML
        // attributes and e-mail; our placeables are handles and numbers.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language Hearth is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
}

static EN: LanguageIdentifier = langid!("en");
static ES: LanguageIdentifier = langid!("es");

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's name in itself, for language pickers.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or("").trim();
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::En => &EN,
            Lang::Es => &ES,
        }
    }

    /// The best match for an `Accept-Language` header, honouring q-values.
    pub fn negotiate(accept_language: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for item in accept_language.split(',').take(32) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(lang) = Lang::from_code(tag)
                && best.is_none_or(|(_, bq)| q > bq)
            {
                best = Some((lang, q));
            }
        }
        best.map(|(l, _)| l)
    }

    /// The region subtag of the first `Accept-Language` entry (`es-MX` → `MX`).
    pub fn region_hint(accept_language: &str) -> Option<String> {
        accept_language
            .split(',')
            .take(8)
            .filter_map(|item| item.split(';').next())
            .filter_map(|tag| tag.trim().split(['-', '_']).nth(1))
            .find(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_alphabetic()))
            .map(|r| r.to_ascii_uppercase())
    }
}

/// A message argument.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

/// Translates message ids into one language.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    /// The message `id`, or the id itself if it is missing (a test checks none are).
    pub fn t(&self, id: &str) -> String {
        LOCALES
            .try_lookup(self.0.id(), id)
            .unwrap_or_else(|| id.to_owned())
    }

    /// The message `id` with named arguments. Numbers are passed as numbers,
    /// so plural forms (`[one]`, `[other]`) are chosen by the language's rules.
    pub fn t_args<V: Clone + Into<Arg>>(&self, id: &str, args: &[(&'static str, V)]) -> String {
        let map = args
            .iter()
            .map(|(k, v)| {
                let value = match v.clone().into() {
                    Arg::Text(t) => t.into(),
                    Arg::Number(n) => n.into(),
                };
                (std::borrow::Cow::Borrowed(*k), value)
            })
            .collect();
        LOCALES
            .try_lookup_with_args(self.0.id(), id, &map)
            .unwrap_or_else(|| id.to_owned())
    }

    /// True if the message exists and formats (with every argument our
    /// messages use supplied).
    pub fn has(&self, id: &str) -> bool {
        let args = [
            "handle",
            "id",
            "number",
            "region",
            "signed_in",
            "active",
            "count",
            "page",
            "pages",
            "group",
            "thread",
            "warning",
            "when",
            "room",
            "name",
            "names",
            "seconds",
            "who",
            "last",
            "n",
            "rows",
            "seq",
            "what",
            "message",
            "total",
            "members",
            "phrases",
            "newcomer_seconds",
            "site",
            "link",
            "minutes",
            "hours",
            "weekday",
            "day",
            "month",
            "year",
            "start",
            "end",
            "zone",
            "time",
            "score",
            "max",
            "band",
        ]
        .into_iter()
        .map(|k| (std::borrow::Cow::Borrowed(k), "x".into()))
        .collect();
        LOCALES
            .try_lookup_with_args(self.0.id(), id, &args)
            .is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(lang: &str) -> std::collections::BTreeSet<String> {
        let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
        let mut out = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((id, _)) = line.split_once(" =")
                    && !id.starts_with([' ', '#', '.'])
                    && !id.is_empty()
                {
                    out.insert(id.trim().to_owned());
                }
            }
        }
        out
    }

    #[test]
    fn every_message_exists_in_every_language() {
        let en = ids("en");
        assert!(en.len() > 50);
        for lang in Lang::ALL {
            let other = ids(lang.code());
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            assert!(extra.is_empty(), "{} has extra {extra:?}", lang.code());
            for id in &en {
                assert!(Tr(lang).has(id), "{id} does not load in {}", lang.code());
            }
        }
    }

    #[test]
    fn accept_language_honours_quality_values() {
        assert_eq!(Lang::negotiate("es-MX,es;q=0.9,en;q=0.8"), Some(Lang::Es));
        assert_eq!(Lang::negotiate("fr-FR,en;q=0.5,es;q=0.7"), Some(Lang::Es));
        assert_eq!(Lang::negotiate("fr, de"), None);
        assert_eq!(Lang::negotiate("es;q=0, en"), Some(Lang::En));
    }

    #[test]
    fn the_region_comes_from_the_first_tag_that_has_one() {
        assert_eq!(Lang::region_hint("es-MX,es;q=0.9"), Some("MX".into()));
        assert_eq!(Lang::region_hint("en"), None);
    }
}
