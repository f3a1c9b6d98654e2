//! Pages of threads, read once and kept: their posts, the posts' Markdown
//! rendered to HTML, and reaction counts. A cached page is used only while
//! the thread's revision (`threads.rev`, raised in the same transaction as
//! every reply, edit, deletion and reaction) is unchanged, so every node
//! sees every change at once; what differs per viewer (their own
//! reactions, filters, rights) is never cached.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::store::{PostPage, PostRow, ReactionCount};

/// At most this many pages, and about this many bytes of text, are kept;
/// when either is reached the cache starts afresh.
const MAX_PAGES: usize = 4096;
const MAX_BYTES: usize = 64 * 1024 * 1024;

pub struct CachedPage {
    pub rev: i64,
    pub posts: Vec<PostRow>,
    /// Each post's body as HTML, in the same order.
    pub html: Vec<String>,
    pub has_earlier: bool,
    pub has_later: bool,
    pub reactions: Vec<ReactionCount>,
}

impl CachedPage {
    /// Roughly what the page holds in memory.
    pub fn weight(&self) -> usize {
        self.posts
            .iter()
            .map(|p| p.body.len() + p.content_warning.len() + 128)
            .sum::<usize>()
            + self.html.iter().map(String::len).sum::<usize>()
    }
}

#[derive(Default)]
struct Pages {
    map: HashMap<(i64, PostPage), Arc<CachedPage>>,
    bytes: usize,
}

#[derive(Default)]
pub struct PageCache {
    pages: Mutex<Pages>,
}

impl PageCache {
    /// The cached page, if it was read at revision `rev`.
    pub fn get(&self, thread_id: i64, page: PostPage, rev: i64) -> Option<Arc<CachedPage>> {
        let pages = self.pages.lock().ok()?;
        pages
            .map
            .get(&(thread_id, page))
            .filter(|p| p.rev == rev)
            .cloned()
    }

    pub fn put(&self, thread_id: i64, page: PostPage, value: Arc<CachedPage>) {
        let weight = value.weight();
        if let Ok(mut pages) = self.pages.lock() {
            if pages.map.len() >= MAX_PAGES || pages.bytes + weight > MAX_BYTES {
                pages.map.clear();
                pages.bytes = 0;
            }
            if let Some(old) = pages.map.insert((thread_id, page), value) {
                pages.bytes = pages.bytes.saturating_sub(old.weight());
            }
            pages.bytes += weight;
        }
    }
}
