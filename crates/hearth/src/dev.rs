//! `hearth dev seed`: fills a database with synthetic, realistic-looking
//! data (members, groups, threads and replies) for load tests and demos.
//! Deterministic for a given `--seed`. Every seeded account shares one
//! password, printed at the end; never run this against a live community.

use std::collections::HashMap;
use std::time::Instant;

use crate::AppState;
use crate::accounts::model::{AgeBracket, Handle, Role};
use crate::db::now_ms;
use crate::on_db;

/// How much to make.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub groups: u32,
    pub members: u32,
    pub threads: u32,
    pub replies: u32,
    pub seed: u64,
}

/// What was made, for the benchmark scripts.
#[derive(Debug, serde::Serialize)]
pub struct Seeded {
    pub password: &'static str,
    /// A member of `bench_group` (also its facilitator).
    pub bench_handle: String,
    pub bench_group: String,
    /// A thread of `bench_group` with exactly 100 replies.
    pub bench_thread: i64,
    pub seconds: f64,
}

pub const PASSWORD: &str = "seeded lantern orchard";

/// splitmix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// Skewed towards small indexes: a few busy items, a long quiet tail.
    fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        a.min(b)
    }
}

const ADJECTIVES: &[&str] = &[
    "Quiet",
    "Evening",
    "Morning",
    "Gentle",
    "Steady",
    "Open",
    "Kind",
    "Hopeful",
    "Calm",
    "Brave",
    "Harbor",
    "Lantern",
    "Circle",
    "Bridge",
    "Garden",
    "Hearthside",
];
const NOUNS: &[&str] = &[
    "Circle", "Room", "Table", "Space", "Corner", "Group", "Path", "Harbor", "Porch", "Commons",
];
const WORDS: &[&str] = &[
    "maple", "river", "cedar", "ember", "willow", "sparrow", "meadow", "pebble", "harbor",
    "lantern", "juniper", "quill", "thistle", "otter", "clover", "birch", "fern", "robin", "tide",
    "moss",
];
const TITLES: &[&str] = &[
    "How do you get through the evenings?",
    "A small win today",
    "First post, a bit nervous",
    "Does anyone else feel this way after appointments?",
    "Sleep has been hard this week",
    "Things that helped me this month",
    "Checking in",
    "Struggling with the holidays",
    "Going back to work after leave",
    "Grateful for this group",
    "Telling family what is going on",
    "Medication side effects, anyone?",
];
const SENTENCES: &[&str] = &[
    "Thank you for sharing this, it helps to know I'm not the only one.",
    "Some days are heavier than others, and today was one of them.",
    "I tried the breathing exercise someone mentioned and it helped a little.",
    "Sending you a hug if you want one.",
    "It took me a long time to say any of this out loud.",
    "My counsellor suggested writing things down before bed.",
    "I went for a short walk and sat in the sun for ten minutes.",
    "Has anyone found a way to explain this to their partner?",
    "I'm proud of you for reaching out.",
    "The mornings are the hardest part for me.",
    "Small steps still count as steps.",
    "I don't have advice, just wanted you to know I read this.",
    "Me too. Every single word of it.",
    "Last year I could not have imagined writing this post.",
    "It's okay to rest. Resting is not giving up.",
    "I called a friend today instead of staying in bed.",
];
const WARNINGS: &[&str] = &["loss", "hospital", "medication", "family conflict", "grief"];

fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    let mut out = String::new();
    for i in 0..sentences {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(rng.pick::<&str>(SENTENCES));
    }
    out
}

/// Fills the database behind `state` at the given scale.
pub async fn seed(state: &AppState, scale: Scale) -> Result<Seeded, String> {
    let started = Instant::now();
    let db = &state.db;
    let mut rng = Rng(scale.seed);
    let err = |e: sqlx::Error| e.to_string();
    let hash = state
        .hasher
        .hash(PASSWORD)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let now = now_ms();
    let day = 86_400_000_i64;
    let start = now - 90 * day;
    let span = 90 * day;

    // Members: handles from two words and a number, one in ten a youth.
    let mut members: Vec<(i64, bool)> = Vec::with_capacity(scale.members as usize);
    let member_sql = "INSERT INTO accounts (handle, handle_key, handle_skeleton, password_hash, age_bracket, role, \
         is_professional, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id";
    for chunk in (0..scale.members).collect::<Vec<_>>().chunks(5_000) {
        let mut batch = Vec::with_capacity(chunk.len());
        for i in chunk {
            let raw = format!("{}_{}{}", rng.pick(WORDS), rng.pick(WORDS), i);
            let handle = Handle::parse(&raw).map_err(|e| format!("{raw}: {e}"))?;
            let youth = rng.chance(10) && *i > 0;
            let role = if *i == 0 { Role::Admin } else { Role::Member };
            batch.push((handle, youth, role, *i % 50 == 1));
        }
        let ids: Vec<i64> = on_db!(db, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let mut ids = Vec::with_capacity(batch.len());
                for (h, youth, role, pro) in &batch {
                    let age = if *youth {
                        AgeBracket::Youth
                    } else {
                        AgeBracket::Adult
                    };
                    let id: i64 = sqlx::query_scalar(member_sql)
                        .bind(&h.display)
                        .bind(&h.key)
                        .bind(&h.skeleton)
                        .bind(&hash)
                        .bind(age.as_str())
                        .bind(role.as_str())
                        .bind(*pro)
                        .bind(start)
                        .fetch_one(&mut *tx)
                        .await?;
                    ids.push(id);
                }
                tx.commit().await?;
                Ok::<_, sqlx::Error>(ids)
            }
            .await
        })
        .map_err(err)?;
        members.extend(ids.into_iter().zip(batch.iter().map(|b| b.1)));
    }
    let adults: Vec<i64> = members.iter().filter(|m| !m.1).map(|m| m.0).collect();
    let youths: Vec<i64> = members.iter().filter(|m| m.1).map(|m| m.0).collect();
    let admin = members
        .first()
        .map(|m| m.0)
        .ok_or("at least one member is needed")?;

    // Groups, tagged from the taxonomy; one in ten a youth space.
    let terms = crate::groups::store::terms(db).await.map_err(err)?;
    let mut groups: Vec<(i64, String, bool, Vec<i64>)> = Vec::new();
    for g in 0..scale.groups {
        let condition = rng.pick(&terms).clone();
        let youth = g % 10 == 9 && !youths.is_empty();
        let spanish = rng.chance(20);
        let name = format!(
            "{} {} {} {}",
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            if spanish { "de" } else { "for" },
            condition.name_en
        );
        let slug = format!("group-{g}");
        let purpose = format!(
            "A {} group for people living with {}. {}",
            if rng.chance(30) {
                "professionally facilitated"
            } else {
                "peer-led"
            },
            condition.name_en.to_lowercase(),
            paragraph(&mut rng, 2)
        );
        let creator = if youth { admin } else { *rng.pick(&adults) };
        let term_ids: Vec<i64> = vec![condition.id, rng.pick(&terms).id];
        let id = crate::groups::store::insert_group(
            db,
            crate::groups::store::NewGroup {
                slug: &slug,
                name: &name,
                purpose: &purpose,
                guidelines: "Be kind. Share from your own experience. No advice unless asked.",
                language: if spanish { "es" } else { "en" },
                leadership: if rng.chance(30) {
                    "professional"
                } else {
                    "peer"
                },
                age_space: if youth { "youth" } else { "adult" },
                visibility: if rng.chance(5) { "unlisted" } else { "listed" },
                joining: if rng.chance(25) { "closed" } else { "open" },
                status: "active",
                created_by: creator,
                term_ids: &term_ids,
                intake_questions: "",
                now: start,
            },
        )
        .await
        .map_err(|e| format!("{e:?}"))?;
        groups.push((id, slug, youth, vec![creator]));
    }
    if groups.is_empty() {
        return Err("at least one group is needed".into());
    }

    // Memberships: each member joins one to six groups of their own space.
    let adult_groups: Vec<usize> = (0..groups.len()).filter(|i| !groups[*i].2).collect();
    let youth_groups: Vec<usize> = (0..groups.len()).filter(|i| groups[*i].2).collect();
    let mut rows: Vec<(i64, i64)> = Vec::new();
    for (id, youth) in &members {
        let pool_of = if *youth { &youth_groups } else { &adult_groups };
        if pool_of.is_empty() {
            continue;
        }
        let n = 1 + rng.below(6);
        let mut chosen: Vec<usize> = Vec::new();
        for _ in 0..n {
            let g = pool_of[rng.skewed(pool_of.len())];
            if !chosen.contains(&g) && !groups[g].3.contains(id) {
                chosen.push(g);
                groups[g].3.push(*id);
                rows.push((groups[g].0, *id));
            }
        }
    }
    for chunk in rows.chunks(10_000) {
        on_db!(db, |pool| {
            async {
                let mut tx = pool.begin().await?;
                for (g, a) in chunk {
                    sqlx::query(
                        "INSERT INTO group_members (group_id, account_id, role, joined_at, guidelines_accepted_at) \
                         VALUES ($1, $2, 'member', $3, $3) ON CONFLICT DO NOTHING",
                    )
                    .bind(g)
                    .bind(a)
                    .bind(start)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await
            }
            .await
        })
        .map_err(err)?;
    }
    on_db!(db, |pool| {
        sqlx::query(
            "UPDATE groups SET member_count = (SELECT COUNT(*) FROM group_members m WHERE m.group_id = groups.id)",
        )
        .execute(pool)
        .await
        .map(|_| ())
    })
    .map_err(err)?;

    // Threads, busier groups getting more; then replies, busier threads
    // getting more. Instants spread over the last ninety days.
    let mut threads: Vec<(i64, usize)> = Vec::with_capacity(scale.threads as usize);
    let mut thread_rows = Vec::with_capacity(scale.threads as usize);
    for _ in 0..scale.threads {
        let g = rng.skewed(groups.len());
        let author = *rng.pick(&groups[g].3);
        let at = start + i64::try_from(rng.next() % span as u64).unwrap_or(0);
        thread_rows.push((g, author, rng.pick(TITLES).to_string(), at, rng.chance(5)));
    }
    thread_rows.sort_by_key(|t| t.3);
    for chunk in thread_rows.chunks(5_000) {
        let ids: Vec<i64> = on_db!(db, |pool| {
            async {
                let mut tx = pool.begin().await?;
                let mut ids = Vec::with_capacity(chunk.len());
                for (g, author, title, at, warn) in chunk {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO threads (group_id, author_id, title, last_post_at, created_at) \
                         VALUES ($1, $2, $3, $4, $4) RETURNING id",
                    )
                    .bind(groups[*g].0)
                    .bind(author)
                    .bind(title)
                    .bind(at)
                    .fetch_one(&mut *tx)
                    .await?;
                    sqlx::query(
                        "INSERT INTO posts (thread_id, author_id, body, content_warning, created_at) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(id)
                    .bind(author)
                    .bind(format!("{}\n\n{}", SENTENCES[usize::try_from(id).unwrap_or(0) % SENTENCES.len()], SENTENCES[usize::try_from(id * 7).unwrap_or(0) % SENTENCES.len()]))
                    .bind(if *warn { WARNINGS[usize::try_from(id).unwrap_or(0) % WARNINGS.len()] } else { "" })
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                    ids.push(id);
                }
                tx.commit().await?;
                Ok::<_, sqlx::Error>(ids)
            }
            .await
        })
        .map_err(err)?;
        threads.extend(ids.into_iter().zip(chunk.iter().map(|t| t.0)));
    }

    // The benchmark thread: the first thread of the busiest adult group,
    // given exactly 100 replies; the rest are spread by skew.
    let bench_group = adult_groups.first().copied().unwrap_or(0);
    let bench_thread = match threads.iter().find(|t| t.1 == bench_group) {
        Some(t) => t.0,
        None => return Err("no thread in the benchmark group; seed more threads".into()),
    };
    let mut counts: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut reply_rows: Vec<(i64, i64, i64)> = Vec::with_capacity(scale.replies as usize);
    for i in 0..scale.replies {
        let (thread, g) = if i < 100 {
            (bench_thread, bench_group)
        } else {
            let mut t = threads[rng.skewed(threads.len())];
            if t.0 == bench_thread {
                t = threads[threads.len() - 1];
            }
            t
        };
        let author = *rng.pick(&groups[g].3);
        let at = now - i64::try_from(rng.next() % (30 * day) as u64).unwrap_or(0);
        reply_rows.push((thread, author, at));
    }
    reply_rows.sort_by_key(|r| r.2);
    let mut written = 0usize;
    for chunk in reply_rows.chunks(10_000) {
        let bodies: Vec<String> = chunk
            .iter()
            .map(|_| {
                let n = 1 + rng.below(4);
                paragraph(&mut rng, n)
            })
            .collect();
        on_db!(db, |pool| {
            async {
                let mut tx = pool.begin().await?;
                for ((thread, author, at), body) in chunk.iter().zip(&bodies) {
                    sqlx::query(
                        "INSERT INTO posts (thread_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(thread)
                    .bind(author)
                    .bind(body)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await
            }
            .await
        })
        .map_err(err)?;
        for (thread, _, at) in chunk {
            let c = counts.entry(*thread).or_insert((0, 0));
            c.0 += 1;
            c.1 = c.1.max(*at);
        }
        written += chunk.len();
        if written.is_multiple_of(100_000) {
            eprintln!("  {written} replies");
        }
    }
    on_db!(db, |pool| {
        async {
            let mut tx = pool.begin().await?;
            for (thread, (n, last)) in &counts {
                sqlx::query(
                    "UPDATE threads SET reply_count = $1, last_post_at = CASE WHEN last_post_at > $2 THEN last_post_at ELSE $2 END WHERE id = $3",
                )
                .bind(n)
                .bind(last)
                .bind(thread)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "UPDATE groups SET last_activity_at = COALESCE((SELECT MAX(t.last_post_at) FROM threads t WHERE t.group_id = groups.id), last_activity_at)",
            )
            .execute(&mut *tx)
            .await?;
            // Some reactions on the benchmark thread.
            sqlx::query(
                "INSERT INTO reactions (post_id, account_id, kind, created_at) \
                 SELECT p.id, p.author_id, 'hug', p.created_at FROM posts p WHERE p.thread_id = $1 AND p.author_id IS NOT NULL \
                 ON CONFLICT DO NOTHING",
            )
            .bind(bench_thread)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        }
        .await
    })
    .map_err(err)?;
    on_db!(db, |pool| sqlx::query("ANALYZE")
        .execute(pool)
        .await
        .map(|_| ()))
    .map_err(err)?;
    let bench_owner = groups[bench_group].3[0];
    let bench_handle: String = on_db!(db, |pool| {
        sqlx::query_scalar("SELECT handle FROM accounts WHERE id = $1")
            .bind(bench_owner)
            .fetch_one(pool)
            .await
    })
    .map_err(err)?;
    Ok(Seeded {
        password: PASSWORD,
        bench_handle,
        bench_group: groups[bench_group].1.clone(),
        bench_thread,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// One benchmark group of `hearth dev chat-seed`.
#[derive(Debug, serde::Serialize)]
pub struct ChatRoom {
    pub group: String,
    pub room: i64,
    /// One API session token per member, in order.
    pub tokens: Vec<String>,
    /// Their accounts, in the same order.
    #[serde(skip)]
    pub accounts: Vec<i64>,
}

/// What `hearth dev chat-seed` made, for the chat benchmarks.
#[derive(Debug, serde::Serialize)]
pub struct ChatSeeded {
    pub rooms: Vec<ChatRoom>,
}

/// `groups` groups of `members` members each, every member of a group in
/// its chat room with a bearer token (no password logins, so no
/// throttling).
pub async fn chat_seed(state: &AppState, groups: u32, members: u32) -> Result<ChatSeeded, String> {
    let hash = state
        .hasher
        .hash(PASSWORD)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let mut rooms = Vec::new();
    for g in 0..groups.max(1) {
        rooms.push(chat_group(state, &hash, g, members).await?);
    }
    Ok(ChatSeeded { rooms })
}

async fn chat_group(
    state: &AppState,
    hash: &str,
    g: u32,
    members: u32,
) -> Result<ChatRoom, String> {
    let db = &state.db;
    let err = |e: sqlx::Error| e.to_string();
    let now = now_ms();
    let mut ids = Vec::with_capacity(members as usize);
    for i in 0..members {
        let handle = Handle::parse(&format!("chat_{g}_bench_{i}")).map_err(|e| e.to_string())?;
        let id: i64 = on_db!(db, |pool| {
            sqlx::query_scalar(
                "INSERT INTO accounts (handle, handle_key, handle_skeleton, password_hash, age_bracket, role, \
                 is_professional, created_at, updated_at) VALUES ($1, $2, $3, $4, '18+', 'member', FALSE, $5, $5) RETURNING id",
            )
            .bind(&handle.display)
            .bind(&handle.key)
            .bind(&handle.skeleton)
            .bind(hash)
            .bind(now)
            .fetch_one(pool)
            .await
        })
        .map_err(err)?;
        ids.push(id);
    }
    let creator = *ids.first().ok_or("at least one member is needed")?;
    let slug = format!("bench-chat-{g}");
    let group = crate::groups::store::insert_group(
        db,
        crate::groups::store::NewGroup {
            slug: &slug,
            name: &format!("Bench Chat {g}"),
            purpose: "A room for the chat benchmark.",
            guidelines: "",
            language: "en",
            leadership: "peer",
            age_space: "adult",
            visibility: "unlisted",
            joining: "open",
            status: "active",
            created_by: creator,
            term_ids: &[],
            intake_questions: "",
            now,
        },
    )
    .await
    .map_err(|e| format!("{e:?}"))?;
    let mut tokens = Vec::with_capacity(ids.len());
    for id in &ids {
        on_db!(db, |pool| {
            sqlx::query(
                "INSERT INTO group_members (group_id, account_id, role, joined_at, guidelines_accepted_at) \
                 VALUES ($1, $2, 'member', $3, $3) ON CONFLICT DO NOTHING",
            )
            .bind(group)
            .bind(id)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(err)?;
        let (_, token, _) =
            crate::accounts::sessions::create(state, *id, crate::web::ctx::AuthVia::Bearer)
                .await
                .map_err(|e| format!("{e:?}"))?;
        tokens.push(token);
    }
    let room = crate::live::store::main_room(db, group, now)
        .await
        .map_err(err)?;
    Ok(ChatRoom {
        group: slug,
        room: room.id,
        tokens,
        accounts: ids,
    })
}

/// One live session of `hearth dev session-seed`.
#[derive(Debug, serde::Serialize)]
pub struct SessionRoom {
    pub group: String,
    pub meeting: i64,
    pub date: String,
    /// API tokens of its participants (the first is a facilitator), all
    /// with a place.
    pub tokens: Vec<String>,
}

/// What `hearth dev session-seed` made, for the media benchmark.
#[derive(Debug, serde::Serialize)]
pub struct SessionsSeeded {
    pub rooms: Vec<SessionRoom>,
}

/// `rooms` groups of `participants` members, each group with a session
/// starting in five minutes (its room is open) that everyone has a place at.
pub async fn session_seed(
    state: &AppState,
    rooms: u32,
    participants: u32,
) -> Result<SessionsSeeded, String> {
    let hash = state
        .hasher
        .hash(PASSWORD)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let db = &state.db;
    let now = now_ms();
    let start = (jiff::Timestamp::now() + jiff::SignedDuration::from_mins(5))
        .to_zoned_datetime(jiff::tz::TimeZone::UTC);
    let first_start = start.strftime("%Y-%m-%dT%H:%M:00").to_string();
    let date = start.date().to_string();
    let mut out = Vec::new();
    for r in 0..rooms.max(1) {
        let group = chat_group(state, &hash, r, participants.max(1)).await?;
        let Some(&facilitator) = group.accounts.first() else {
            return Err("at least one participant is needed".into());
        };
        let group_id = crate::groups::store::group_by_slug(db, &group.group)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the seeded group is missing")?
            .id;
        on_db!(db, |pool| {
            sqlx::query(
                "UPDATE group_members SET role = 'facilitator' WHERE group_id = $1 AND account_id = $2",
            )
            .bind(group_id)
            .bind(facilitator)
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(|e| e.to_string())?;
        let meeting = crate::meetings::store::create(
            db,
            &crate::meetings::store::NewMeeting {
                group_id,
                title: "Bench session",
                description: "",
                first_start: &first_start,
                time_zone: "UTC",
                minutes: 120,
                recurrence: crate::meetings::schedule::Recurrence::Once,
                until_date: None,
                capacity: 100,
                format: crate::meetings::store::Format::Video,
                created_by: facilitator,
                now,
            },
        )
        .await
        .map_err(|e| e.to_string())?;
        for id in &group.accounts {
            crate::meetings::store::attend(db, meeting, &date, *id, 100, now)
                .await
                .map_err(|e| e.to_string())?;
        }
        out.push(SessionRoom {
            group: group.group,
            meeting,
            date: date.clone(),
            tokens: group.tokens,
        });
    }
    Ok(SessionsSeeded { rooms: out })
}
