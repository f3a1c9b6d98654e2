//! Group types, parsed at the edge.

use serde::Deserialize;

use crate::accounts::model::AgeBracket;

/// The kinds of taxonomy term a group is tagged with.
pub const TERM_KINDS: [&str; 3] = ["condition", "community", "format"];

/// The shipped taxonomy (`data/taxonomy.toml`), seeded on start.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    pub condition: Vec<TermSeed>,
    pub community: Vec<TermSeed>,
    pub format: Vec<TermSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermSeed {
    pub slug: String,
    pub en: String,
    pub es: String,
}

impl Taxonomy {
    pub fn shipped() -> Result<Self, toml::de::Error> {
        toml::from_str(include_str!("../../data/taxonomy.toml"))
    }

    pub fn kinds(&self) -> [(&'static str, &[TermSeed]); 3] {
        [
            ("condition", &self.condition),
            ("community", &self.community),
            ("format", &self.format),
        ]
    }
}

crate::word_enum!(Leadership { Peer = "peer", Professional = "professional" });
crate::word_enum!(AgeSpace { Youth = "youth", Adult = "adult" });
crate::word_enum!(Visibility { Listed = "listed", Unlisted = "unlisted" });
crate::word_enum!(Joining { Open = "open", Closed = "closed" });
crate::word_enum!(
    /// A member's part in a group.
    GroupRole {
        Member = "member",
        Facilitator = "facilitator",
    }
);
crate::word_enum!(RequestStatus { Pending = "pending", Approved = "approved", Declined = "declined" });
crate::word_enum!(GroupStatus { Active = "active", Proposed = "proposed", Declined = "declined" });

impl AgeSpace {
    /// Youth accounts belong in youth spaces, adults in adult ones.
    pub fn of(bracket: AgeBracket) -> Self {
        match bracket {
            AgeBracket::Youth => AgeSpace::Youth,
            AgeBracket::Adult => AgeSpace::Adult,
        }
    }
}

/// A group's address: lower-case letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSlug(String);

const RESERVED_SLUGS: &[&str] = &["new", "propose", "search", "admin", "api"];

impl GroupSlug {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        let valid = (3..=60).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if !valid {
            return Err("error-group-slug");
        }
        if RESERVED_SLUGS.contains(&s) {
            return Err("error-group-slug-taken");
        }
        Ok(Self(s.to_owned()))
    }

    /// A slug made from a name ("Evening Circle: Grief" → "evening-circle-grief").
    pub fn from_name(name: &str) -> Option<Self> {
        let mut out = String::new();
        for c in name.chars().flat_map(char::to_lowercase) {
            let c = match c {
                'á' | 'à' | 'ä' | 'â' => 'a',
                'é' | 'è' | 'ë' | 'ê' => 'e',
                'í' | 'ì' | 'ï' | 'î' => 'i',
                'ó' | 'ò' | 'ö' | 'ô' => 'o',
                'ú' | 'ù' | 'ü' | 'û' => 'u',
                'ñ' => 'n',
                'ç' => 'c',
                c => c,
            };
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let trimmed: String = out.trim_end_matches('-').chars().take(60).collect();
        Self::parse(trimmed.trim_end_matches('-')).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_is_made_from_a_name_in_plain_letters() {
        assert_eq!(
            GroupSlug::from_name("Evening Circle: Grief & Loss")
                .unwrap()
                .as_str(),
            "evening-circle-grief-loss"
        );
        assert_eq!(
            GroupSlug::from_name("Ansiedad y Pánico").unwrap().as_str(),
            "ansiedad-y-panico"
        );
        assert!(GroupSlug::from_name("!!").is_none());
    }

    #[test]
    fn a_slug_with_capitals_or_reserved_words_is_refused() {
        assert_eq!(GroupSlug::parse("Evening"), Err("error-group-slug"));
        assert_eq!(GroupSlug::parse("new"), Err("error-group-slug-taken"));
        assert_eq!(GroupSlug::parse("a--b"), Err("error-group-slug"));
        assert!(GroupSlug::parse("quiet-hours").is_ok());
    }

    #[test]
    fn the_shipped_taxonomy_loads_with_unique_slugs() {
        let t = Taxonomy::shipped().unwrap();
        for (_, terms) in t.kinds() {
            let mut slugs: Vec<_> = terms.iter().map(|t| t.slug.as_str()).collect();
            slugs.sort_unstable();
            slugs.dedup();
            assert_eq!(slugs.len(), terms.len());
            assert!(
                terms
                    .iter()
                    .all(|t| GroupSlug::parse(&t.slug).is_ok() || t.slug.len() < 3)
            );
        }
        assert!(t.condition.iter().any(|c| c.slug == "ptsd"));
    }
}
