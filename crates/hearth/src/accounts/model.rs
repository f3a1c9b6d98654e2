//! Account types, parsed at the edge: once a `Handle` or `NewPassword`
//! exists, it obeys every rule below. Each rule's error is a Fluent message
//! id, translated where it is shown.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_security::MixedScript;

/// A pseudonymous handle, NFKC-normalised, with its lookup keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle {
    /// As shown to people.
    pub display: String,
    /// Case-folded: two handles with the same key are the same handle.
    pub key: String,
    /// Confusable skeleton (UTS #39): two handles with the same skeleton look alike.
    pub skeleton: String,
}

pub const HANDLE_MIN: usize = 3;
pub const HANDLE_MAX: usize = 30;

/// Names that would let someone pose as staff or as Hearth itself.
const RESERVED: &[&str] = &[
    "admin",
    "administrator",
    "root",
    "sysadmin",
    "moderator",
    "mod",
    "mods",
    "support",
    "help",
    "helpdesk",
    "staff",
    "team",
    "hearth",
    "official",
    "system",
    "security",
    "safety",
    "abuse",
    "crisis",
    "crisisline",
    "lifeline",
    "988",
    "emergency",
    "facilitator",
    "counselor",
    "counsellor",
    "therapist",
    "doctor",
    "nurse",
    "anonymous",
    "amember",
    "unmiembro",
    "anonimo",
    "deleted",
    "deletedmember",
    "null",
    "undefined",
    "api",
    "www",
    "webmaster",
    "postmaster",
    "owner",
    "operator",
    "everyone",
    "here",
    "all",
];

impl Handle {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let display: String = raw.trim().nfkc().collect();
        let len = display.chars().count();
        if !(HANDLE_MIN..=HANDLE_MAX).contains(&len) {
            return Err("error-handle-length");
        }
        if !display
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            return Err("error-handle-characters");
        }
        if !display.chars().next().is_some_and(char::is_alphanumeric) {
            return Err("error-handle-characters");
        }
        if !display.as_str().is_single_script() {
            return Err("error-handle-mixed-script");
        }
        let key = display.to_lowercase();
        let skeleton = skeleton_of(&key);
        let loose = loosen(&skeleton);
        if RESERVED_SKELETONS.contains(loose.as_str())
            || loose.starts_with(RESERVED_PREFIX_HEARTH.as_str())
        {
            return Err("error-handle-reserved");
        }
        Ok(Self {
            display,
            key,
            skeleton,
        })
    }
}

/// The confusable skeleton of an already lower-cased handle, with accents
/// folded first, so "ädmin1" looks like "admin1", as it does on screen.
fn skeleton_of(key: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    let folded: String = key.nfd().filter(|c| !is_combining_mark(*c)).collect();
    let s: String = unicode_security::skeleton(&folded).collect();
    s.to_lowercase()
}

/// A looser key for the reserved-name check only: separators dropped and
/// look-alike digits folded, so "ADM1N" and "m0d_erator" are caught too.
fn loosen(skeleton: &str) -> String {
    skeleton
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| match c {
            'l' | '1' => 'i',
            '0' => 'o',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            c => c,
        })
        .collect()
}

static RESERVED_SKELETONS: LazyLock<HashSet<String>> =
    LazyLock::new(|| RESERVED.iter().map(|r| loosen(&skeleton_of(r))).collect());
static RESERVED_PREFIX_HEARTH: LazyLock<String> = LazyLock::new(|| loosen(&skeleton_of("hearth")));

/// A password being set. Its `Debug` never shows it.
pub struct NewPassword(String);

pub const PASSWORD_MIN: usize = 10;
/// Long enough for any passphrase, short enough that hashing stays cheap.
pub const PASSWORD_MAX: usize = 256;

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

impl NewPassword {
    /// `handle_key` lets us refuse passwords built from the handle itself.
    pub fn parse(raw: &str, handle_key: Option<&str>) -> Result<Self, &'static str> {
        let len = raw.chars().count();
        if len < PASSWORD_MIN {
            return Err("error-password-short");
        }
        if len > PASSWORD_MAX {
            return Err("error-password-long");
        }
        if is_common(raw) {
            return Err("error-password-common");
        }
        if let Some(key) = handle_key
            && key.chars().count() >= 4
            && raw.to_lowercase().contains(key)
        {
            return Err("error-password-contains-handle");
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A common password, or one with only digits and symbols added around one.
fn is_common(raw: &str) -> bool {
    let lower = raw.to_lowercase();
    if COMMON_PASSWORDS.contains(lower.as_str()) {
        return true;
    }
    let core =
        lower.trim_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation() || c == ' ');
    if core.chars().count() < 4 {
        // Nothing but digits and symbols ("1234567890", "!!!!!!!!!!").
        return core.is_empty() || lower.chars().collect::<HashSet<_>>().len() < 4;
    }
    COMMON_PASSWORDS.contains(core) || lower.chars().collect::<HashSet<_>>().len() < 4
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword([redacted])")
    }
}

/// An optional e-mail address (for recovery and reminders only).
#[derive(Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Empty input means "no address".
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, &'static str> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let valid = raw.len() <= 254
            && !raw.chars().any(|c| c.is_whitespace() || c.is_control())
            && raw.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && local.len() <= 64
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            });
        if valid {
            Ok(Some(Self(raw.to_owned())))
        } else {
            Err("error-email-invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Email([private])")
    }
}

/// Youth (13–17) and adult spaces are kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub enum AgeBracket {
    #[serde(rename = "13-17")]
    Youth,
    #[serde(rename = "18+")]
    Adult,
}

impl AgeBracket {
    /// The form and API value; `under-13` is refused with its own message.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        match raw.trim() {
            "13-17" => Ok(Self::Youth),
            "18+" => Ok(Self::Adult),
            "under-13" => Err("error-age-under-13"),
            _ => Err("error-age-required"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Youth => "13-17",
            Self::Adult => "18+",
        }
    }

    pub fn from_stored(word: &str) -> Option<Self> {
        Self::parse(word).ok()
    }
}

crate::stored_word!(AgeBracket);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Moderator,
    Admin,
}

crate::stored_word!(Role);

impl Role {
    pub fn from_stored(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "moderator" => Some(Self::Moderator),
            "member" => Some(Self::Member),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
        }
    }
}

/// A registered person.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub handle: String,
    pub age_bracket: AgeBracket,
    pub role: Role,
    pub is_professional: bool,
    pub has_email: bool,
    pub language: Option<String>,
    pub region: Option<String>,
    /// The IANA zone the member reads times in; none: each session's own.
    pub time_zone: Option<String>,
    /// Quiet hours on the member's clock (from, to; hours 0-23): no
    /// e-mailed reminders then.
    pub quiet_from: Option<i64>,
    pub quiet_to: Option<i64>,
    /// Minutes of continuous use after which a break is suggested (none:
    /// never).
    pub break_minutes: Option<i64>,
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handle_is_normalised_and_keyed_case_insensitively() {
        let h = Handle::parse("  Ｑuiet_River ").unwrap();
        assert_eq!(h.display, "Quiet_River");
        assert_eq!(h.key, "quiet_river");
        assert_eq!(Handle::parse("QUIET_RIVER").unwrap().key, h.key);
    }

    #[test]
    fn a_handle_that_imitates_another_has_the_same_skeleton() {
        let real = Handle::parse("paul").unwrap();
        // Cyrillic 'а' and 'р' in an all-Cyrillic look-alike.
        let fake = Handle::parse("раul").err();
        assert_eq!(fake, Some("error-handle-mixed-script"));
        assert_eq!(Handle::parse("pau1").unwrap().skeleton, real.skeleton);
        assert_eq!(
            Handle::parse("rnoon").unwrap().skeleton,
            Handle::parse("moon").unwrap().skeleton
        );
    }

    #[test]
    fn a_handle_outside_three_to_thirty_characters_is_refused() {
        assert_eq!(Handle::parse("ab"), Err("error-handle-length"));
        assert_eq!(Handle::parse(&"a".repeat(31)), Err("error-handle-length"));
        assert!(Handle::parse(&"ñ".repeat(30)).is_ok());
    }

    #[test]
    fn a_handle_with_spaces_or_markup_is_refused() {
        assert_eq!(Handle::parse("quiet river"), Err("error-handle-characters"));
        assert_eq!(Handle::parse("<script>"), Err("error-handle-characters"));
        assert_eq!(Handle::parse("_hidden"), Err("error-handle-characters"));
    }

    #[test]
    fn reserved_names_and_their_look_alikes_are_refused() {
        for name in [
            "admin",
            "Admin",
            "ADM1N",
            "moderator",
            "support",
            "Hearth_Team",
            "a.member",
            "988",
        ] {
            assert_eq!(Handle::parse(name), Err("error-handle-reserved"), "{name}");
        }
        assert!(Handle::parse("adminton_fan").is_ok());
    }

    #[test]
    fn handles_in_other_scripts_are_welcome() {
        assert!(Handle::parse("José_María").is_ok());
        assert!(Handle::parse("Сергей").is_ok());
        assert!(Handle::parse("さくら").is_ok());
    }

    #[test]
    fn a_short_or_common_password_is_refused() {
        assert_eq!(
            NewPassword::parse("short", None).err(),
            Some("error-password-short")
        );
        assert_eq!(
            NewPassword::parse("password123", None).err(),
            Some("error-password-common")
        );
        assert_eq!(
            NewPassword::parse("1234567890", None).err(),
            Some("error-password-common")
        );
        assert_eq!(
            NewPassword::parse("Sunshine2024!", None).err(),
            Some("error-password-common")
        );
        assert_eq!(
            NewPassword::parse("aaaaaaaaaaaa", None).err(),
            Some("error-password-common")
        );
    }

    #[test]
    fn a_password_built_from_the_handle_is_refused() {
        assert_eq!(
            NewPassword::parse("quietriver-2024", Some("quietriver")).err(),
            Some("error-password-contains-handle")
        );
    }

    #[test]
    fn a_passphrase_is_accepted() {
        assert!(NewPassword::parse("lantern orchard mosaic tide", None).is_ok());
        assert!(NewPassword::parse("contraseña segura de gatos", None).is_ok());
    }

    #[test]
    fn the_common_password_list_is_loaded() {
        assert!(COMMON_PASSWORDS.len() > 29_000);
        let rejected = COMMON_PASSWORDS
            .iter()
            .take(1000)
            .filter(|p| NewPassword::parse(p, None).is_err())
            .count();
        assert_eq!(rejected, 1000);
    }

    #[test]
    fn random_four_word_passphrases_are_accepted() {
        const WORDS: &[&str] = &[
            "apple", "river", "stone", "cloud", "lantern", "orchard", "mosaic", "tide", "copper",
            "meadow", "violin", "rain", "harbor", "canyon", "bell", "quartz", "fig", "amber",
            "clock", "willow", "ember", "falcon", "garden", "honey", "island", "jacket", "kettle",
            "lemon", "marble", "needle", "ocean", "pepper", "quilt", "rocket", "saddle", "tulip",
            "umbrella", "velvet", "walnut", "yarrow",
        ];
        // A fixed linear congruential sequence: the same 1,000 phrases every run.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            WORDS[usize::try_from(seed >> 33).unwrap() % WORDS.len()]
        };
        for _ in 0..1000 {
            let phrase = format!("{} {} {} {}", next(), next(), next(), next());
            assert!(NewPassword::parse(&phrase, None).is_ok(), "{phrase}");
        }
    }

    #[test]
    fn passwords_never_print() {
        let p = NewPassword::parse("lantern orchard mosaic tide", None).unwrap();
        assert!(!format!("{p:?}").contains("lantern"));
        let e = Email::parse_optional("someone@example.org")
            .unwrap()
            .unwrap();
        assert!(!format!("{e:?}").contains("someone"));
    }

    #[test]
    fn an_email_is_optional_but_must_look_like_one() {
        assert_eq!(Email::parse_optional("  ").unwrap(), None);
        assert!(Email::parse_optional("a@b.org").unwrap().is_some());
        assert!(Email::parse_optional("not-an-email").is_err());
        assert!(Email::parse_optional("a b@c.org").is_err());
    }

    #[test]
    fn under_thirteen_is_refused_with_its_own_message() {
        assert_eq!(AgeBracket::parse("under-13"), Err("error-age-under-13"));
        assert_eq!(AgeBracket::parse(""), Err("error-age-required"));
        assert_eq!(AgeBracket::parse("13-17"), Ok(AgeBracket::Youth));
    }
}
