//! A member's own tools, private to them: the journal (and, as they come,
//! check-ins, assessments, goals and the safety plan). What a member
//! writes here is sealed with their own key (see `keys`); no role reads
//! it, moderators and admins included.

pub mod api;
pub mod journal;
pub mod pages;
