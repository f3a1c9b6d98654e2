//! What the forum keeps on each node (see [`crate::fresh::Revised`]):
//!
//! - pages of threads, read once: their posts, the posts' Markdown
//!   rendered to HTML, and reaction counts, kept while the thread's
//!   revision (`threads.rev`, raised in the same transaction as every
//!   reply, edit, deletion and reaction) is unchanged;
//! - pages of a group's thread list as everyone who may see held threads
//!   sees it, kept while the group's page revision (`groups.page_rev`,
//!   raised by a trigger on every change to any of its threads) is
//!   unchanged.
//!
//! What differs per reader (their own reactions, mutes and read marks, the
//! held threads they may not see, their filters and rights) is never kept.

use crate::fresh::{Revised, Weigh};

use super::store::{PostPage, PostRow, ReactionCount, ThreadCursor, ThreadRow};

/// At most this many pages, and about this many bytes of text, are kept;
/// when either is reached the cache starts afresh.
const MAX_PAGES: usize = 4096;
const MAX_BYTES: usize = 64 * 1024 * 1024;
const MAX_LISTS: usize = 4096;
const MAX_LIST_BYTES: usize = 16 * 1024 * 1024;

pub struct CachedPage {
    pub posts: Vec<PostRow>,
    /// Each post's body as HTML, in the same order.
    pub html: Vec<String>,
    pub has_earlier: bool,
    pub has_later: bool,
    pub reactions: Vec<ReactionCount>,
}

impl Weigh for CachedPage {
    fn weight(&self) -> usize {
        self.posts
            .iter()
            .map(|p| p.body.len() + p.content_warning.len() + 128)
            .sum::<usize>()
            + self.html.iter().map(String::len).sum::<usize>()
    }
}

/// Pages of threads by (thread, page).
pub type PageCache = Revised<(i64, PostPage), CachedPage>;

pub fn page_cache() -> PageCache {
    Revised::new(MAX_PAGES, MAX_BYTES)
}

/// One page of a group's thread list, held threads included.
pub struct CachedList {
    /// Pinned threads (first page only).
    pub pinned: Vec<ThreadRow>,
    pub rest: Vec<ThreadRow>,
    /// Where the next page starts; absent on the last page.
    pub next: Option<String>,
}

impl Weigh for CachedList {
    fn weight(&self) -> usize {
        self.pinned
            .iter()
            .chain(&self.rest)
            .map(|t| t.title.len() + t.content_warning.len() + 160)
            .sum()
    }
}

/// Thread lists by (group, where the page starts).
pub type ListCache = Revised<(i64, Option<ThreadCursor>), CachedList>;

pub fn list_cache() -> ListCache {
    Revised::new(MAX_LISTS, MAX_LIST_BYTES)
}
