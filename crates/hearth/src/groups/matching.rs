//! Recommendations: groups ranked by how well they fit what a member told
//! onboarding, each with the reasons it was chosen.

use std::collections::HashMap;

use super::store::{GroupRow, Term};

/// What a member would like support with.
#[derive(Debug, Default, Clone)]
pub struct Interests {
    pub term_ids: Vec<i64>,
    pub languages: Vec<String>,
}

impl Interests {
    pub fn is_empty(&self) -> bool {
        self.term_ids.is_empty() && self.languages.is_empty()
    }
}

/// Why a group was recommended: a term it shares, or its language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Term(i64),
    Language(String),
}

pub struct Recommendation<'a> {
    pub group: &'a GroupRow,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

fn weight(kind: &str) -> u32 {
    match kind {
        "condition" => 6,
        "community" => 4,
        _ => 2,
    }
}

/// Ranks `groups` (already limited to what the member may join) for
/// `interests`. A group in none of the member's languages is left out when
/// they named any; one that shares nothing else is left out too; and a
/// group for a community (veterans, parents, LGBTQ+ people…) is offered only
/// to someone who named that community, never because a format matched.
/// Ties go to the more recently active group.
pub fn recommend<'a>(
    interests: &Interests,
    groups: &'a [GroupRow],
    group_terms: &[(i64, i64)],
    terms: &[Term],
    limit: usize,
) -> Vec<Recommendation<'a>> {
    let kinds: HashMap<i64, &str> = terms.iter().map(|t| (t.id, t.kind.as_str())).collect();
    let mut out: Vec<Recommendation<'a>> = groups
        .iter()
        .filter_map(|g| {
            let language_fits =
                interests.languages.is_empty() || interests.languages.contains(&g.language);
            if !language_fits {
                return None;
            }
            let mut communities = group_terms
                .iter()
                .filter(|(gid, tid)| *gid == g.id && kinds.get(tid) == Some(&"community"));
            let for_others = communities.clone().next().is_some()
                && !communities.any(|(_, tid)| interests.term_ids.contains(tid));
            if for_others {
                return None;
            }
            let mut reasons: Vec<Reason> = group_terms
                .iter()
                .filter(|(gid, tid)| *gid == g.id && interests.term_ids.contains(tid))
                .map(|(_, tid)| Reason::Term(*tid))
                .collect();
            reasons.sort_by_key(|r| match r {
                Reason::Term(t) => std::cmp::Reverse(weight(kinds.get(t).copied().unwrap_or(""))),
                Reason::Language(_) => std::cmp::Reverse(0),
            });
            let mut score: u32 = reasons
                .iter()
                .map(|r| match r {
                    Reason::Term(t) => weight(kinds.get(t).copied().unwrap_or("")),
                    Reason::Language(_) => 0,
                })
                .sum();
            if score == 0 && !interests.term_ids.is_empty() {
                return None;
            }
            if !interests.languages.is_empty() {
                score += 1;
                reasons.push(Reason::Language(g.language.clone()));
            }
            Some(Recommendation {
                group: g,
                score,
                reasons,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.group.last_activity_at.cmp(&a.group.last_activity_at))
    });
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(id: i64, language: &str, active: i64) -> GroupRow {
        GroupRow {
            id,
            slug: format!("g{id}"),
            name: format!("G{id}"),
            purpose: String::new(),
            guidelines: String::new(),
            language: language.into(),
            leadership: crate::groups::model::Leadership::Peer,
            age_space: crate::groups::model::AgeSpace::Adult,
            visibility: crate::groups::model::Visibility::Listed,
            joining: crate::groups::model::Joining::Open,
            status: crate::groups::model::GroupStatus::Active,
            created_by: None,
            member_count: 1,
            last_activity_at: active,
            created_at: 0,
            intake_questions: String::new(),
            allow_anonymous: false,
            hold_first_posts: false,
            archived_at: None,
            page_rev: 0,
        }
    }

    fn term(id: i64, kind: &str) -> Term {
        Term {
            id,
            kind: kind.into(),
            slug: format!("t{id}"),
            name_en: String::new(),
            name_es: String::new(),
        }
    }

    #[test]
    fn a_shared_condition_outranks_a_shared_format_and_each_says_why() {
        let terms = [
            term(1, "condition"),
            term(2, "community"),
            term(3, "format"),
        ];
        let groups = [group(10, "en", 5), group(11, "en", 9), group(12, "en", 1)];
        let links = [(10, 1), (10, 3), (11, 3), (12, 2)];
        let interests = Interests {
            term_ids: vec![1, 2, 3],
            languages: vec![],
        };
        let recs = recommend(&interests, &groups, &links, &terms, 10);
        let order: Vec<i64> = recs.iter().map(|r| r.group.id).collect();
        assert_eq!(order, [10, 12, 11]);
        assert_eq!(recs[0].reasons, [Reason::Term(1), Reason::Term(3)]);
    }

    #[test]
    fn a_community_group_is_offered_only_to_those_who_named_that_community() {
        let terms = [
            term(1, "condition"),
            term(2, "community"),
            term(3, "format"),
        ];
        // 10: a veterans' anxiety chat; 11: an anxiety chat for anyone.
        let groups = [group(10, "en", 9), group(11, "en", 5)];
        let links = [(10, 1), (10, 2), (10, 3), (11, 1), (11, 3)];
        let said_nothing_of_service = Interests {
            term_ids: vec![1, 3],
            languages: vec![],
        };
        let recs = recommend(&said_nothing_of_service, &groups, &links, &terms, 10);
        let order: Vec<i64> = recs.iter().map(|r| r.group.id).collect();
        assert_eq!(order, [11]);
        let a_veteran = Interests {
            term_ids: vec![1, 2, 3],
            languages: vec![],
        };
        let recs = recommend(&a_veteran, &groups, &links, &terms, 10);
        let order: Vec<i64> = recs.iter().map(|r| r.group.id).collect();
        assert_eq!(order, [10, 11]);
    }

    #[test]
    fn groups_in_other_languages_or_with_nothing_in_common_are_left_out() {
        let terms = [term(1, "condition")];
        let groups = [group(10, "es", 5), group(11, "en", 9), group(12, "es", 1)];
        let links = [(10, 1), (11, 1)];
        let interests = Interests {
            term_ids: vec![1],
            languages: vec!["es".into()],
        };
        let recs = recommend(&interests, &groups, &links, &terms, 10);
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].group.id, 10);
        assert!(recs[0].reasons.contains(&Reason::Language("es".into())));
    }

    #[test]
    fn with_only_languages_every_group_in_them_is_offered_most_active_first() {
        let groups = [group(10, "es", 5), group(11, "es", 9), group(12, "en", 1)];
        let interests = Interests {
            term_ids: vec![],
            languages: vec!["es".into()],
        };
        let recs = recommend(&interests, &groups, &[], &[], 10);
        let order: Vec<i64> = recs.iter().map(|r| r.group.id).collect();
        assert_eq!(order, [11, 10]);
    }
}
