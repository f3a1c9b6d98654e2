//! Crisis lines: loaded from a TOML file (the shipped one, or an operator's),
//! validated at start, and shown on `/help`, in the API, and (later) to
//! anyone whose words suggest they are in danger.

pub mod routes;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::web::i18n::Lang;

const SHIPPED: &str = include_str!("../../data/crisis-resources.toml");

/// Text in several languages; English is the fallback.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct Localized(BTreeMap<String, String>);

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        self.0
            .get(lang.code())
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisResources {
    pub default_region: String,
    pub international: Directory,
    #[serde(rename = "region")]
    pub regions: Vec<Region>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    pub name: Localized,
    pub url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub code: String,
    pub name: Localized,
    pub emergency: String,
    #[serde(rename = "line", default)]
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub name: String,
    pub description: Localized,
    pub phone: Option<String>,
    pub phone_extra: Option<Localized>,
    pub text: Option<TextLine>,
    pub url: Option<String>,
    pub hours: Option<Localized>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextLine {
    pub number: String,
    pub keyword: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ResourcesError {
    #[error("cannot read the crisis resources file {0}: {1}")]
    Read(String, std::io::Error),
    #[error("the crisis resources file is not valid TOML: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("the crisis resources file is not usable: {0}")]
    Invalid(String),
}

impl CrisisResources {
    /// The shipped file, or the operator's.
    pub fn load(path: Option<&Path>) -> Result<Self, ResourcesError> {
        let text = match path {
            Some(p) => std::fs::read_to_string(p)
                .map_err(|e| ResourcesError::Read(p.display().to_string(), e))?,
            None => SHIPPED.to_owned(),
        };
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Self, ResourcesError> {
        let mut r: CrisisResources = toml::from_str(text)?;
        for region in &mut r.regions {
            region.code = region.code.trim().to_ascii_uppercase();
            if region.code.len() != 2 || !region.code.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(ResourcesError::Invalid(format!(
                    "region code {:?} is not a two-letter country code",
                    region.code
                )));
            }
            for line in &region.lines {
                if line.phone.is_none() && line.text.is_none() && line.url.is_none() {
                    return Err(ResourcesError::Invalid(format!(
                        "{} in {} has no phone, text or url",
                        line.name, region.code
                    )));
                }
                if let Some(url) = &line.url
                    && !url.starts_with("https://")
                {
                    return Err(ResourcesError::Invalid(format!(
                        "{url} is not an https address"
                    )));
                }
            }
        }
        r.default_region = r.default_region.trim().to_ascii_uppercase();
        if r.region(&r.default_region).is_none() {
            return Err(ResourcesError::Invalid(format!(
                "default_region {} is not among the regions",
                r.default_region
            )));
        }
        if !r.international.url.starts_with("https://") {
            return Err(ResourcesError::Invalid(
                "the international directory needs an https url".into(),
            ));
        }
        Ok(r)
    }

    /// (code, name) of every region, for a picker.
    pub fn choices(&self, lang: Lang) -> Vec<(String, String)> {
        self.regions
            .iter()
            .map(|r| (r.code.clone(), r.name.get(lang).to_owned()))
            .collect()
    }

    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code))
    }

    /// The first of the candidates that we have lines for, else the default.
    pub fn pick<'a>(&self, candidates: impl IntoIterator<Item = &'a str>) -> &Region {
        candidates
            .into_iter()
            .find_map(|c| self.region(c))
            .or_else(|| self.region(&self.default_region))
            .unwrap_or(&self.regions[0])
    }
}

/// A `tel:` URI for a written phone number ("1-866-488-7386" → "tel:18664887386").
pub fn tel_uri(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

/// An `sms:` URI, with the keyword as the body where there is one.
pub fn sms_uri(text: &TextLine) -> String {
    let digits: String = text
        .number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    match &text.keyword {
        Some(k) => format!(
            "sms:{digits}?&body={}",
            k.replace(|c: char| !c.is_ascii_alphanumeric(), "")
        ),
        None => format!("sms:{digits}"),
    }
}

/// A region's lines in one language, as the API and templates show them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RegionView {
    pub code: String,
    pub name: String,
    pub emergency: String,
    pub lines: Vec<LineView>,
    pub international_name: String,
    pub international_url: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LineView {
    pub name: String,
    pub description: String,
    pub phone: Option<String>,
    pub phone_extra: Option<String>,
    pub phone_uri: Option<String>,
    pub text_number: Option<String>,
    pub text_keyword: Option<String>,
    pub text_uri: Option<String>,
    pub url: Option<String>,
    pub hours: Option<String>,
}

impl CrisisResources {
    pub fn view(&self, region: &Region, lang: Lang) -> RegionView {
        RegionView {
            code: region.code.clone(),
            name: region.name.get(lang).to_owned(),
            emergency: region.emergency.clone(),
            lines: region
                .lines
                .iter()
                .map(|l| LineView {
                    name: l.name.clone(),
                    description: l.description.get(lang).to_owned(),
                    phone: l.phone.clone(),
                    phone_extra: l.phone_extra.as_ref().map(|p| p.get(lang).to_owned()),
                    phone_uri: l.phone.as_deref().map(tel_uri),
                    text_number: l.text.as_ref().map(|t| t.number.clone()),
                    text_keyword: l.text.as_ref().and_then(|t| t.keyword.clone()),
                    text_uri: l.text.as_ref().map(sms_uri),
                    url: l.url.clone(),
                    hours: l.hours.as_ref().map(|h| h.get(lang).to_owned()),
                })
                .collect(),
            international_name: self.international.name.get(lang).to_owned(),
            international_url: self.international.url.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_has_the_us_lines_the_brief_requires() {
        let r = CrisisResources::load(None).unwrap();
        let us = r.view(r.region("US").unwrap(), Lang::En);
        let names: Vec<_> = us.lines.iter().map(|l| l.name.as_str()).collect();
        assert!(names.contains(&"988 Suicide & Crisis Lifeline"));
        assert!(names.contains(&"Crisis Text Line"));
        assert!(names.contains(&"Veterans Crisis Line"));
        assert!(names.contains(&"The Trevor Project"));
        let ctl = us
            .lines
            .iter()
            .find(|l| l.name == "Crisis Text Line")
            .unwrap();
        assert_eq!(ctl.text_uri.as_deref(), Some("sms:741741?&body=HOME"));
        let trevor = us
            .lines
            .iter()
            .find(|l| l.name == "The Trevor Project")
            .unwrap();
        assert_eq!(trevor.phone_uri.as_deref(), Some("tel:18664887386"));
        assert!(r.regions.len() >= 5);
    }

    #[test]
    fn an_unknown_region_falls_back_to_the_default() {
        let r = CrisisResources::load(None).unwrap();
        assert_eq!(r.pick(["ZZ"]).code, "US");
        assert_eq!(r.pick(["ZZ", "mx"]).code, "MX");
    }

    #[test]
    fn a_file_whose_default_region_is_missing_is_refused() {
        let text = "default_region = \"FR\"\n[international]\nname = { en = \"x\" }\nurl = \"https://x.example\"\n[[region]]\ncode = \"US\"\nname = { en = \"US\" }\nemergency = \"911\"\n";
        assert!(matches!(
            CrisisResources::parse(text),
            Err(ResourcesError::Invalid(_))
        ));
    }
}
