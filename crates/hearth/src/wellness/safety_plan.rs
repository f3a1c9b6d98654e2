//! A member's personal safety plan: six steps, written ahead of a hard
//! moment, for that moment (warning signs; what they can do on their own;
//! people and places that take their mind off things; people they can ask
//! for help; professionals and crisis lines; making their surroundings
//! safer). Sealed with the member's own key; nobody else reads it. The
//! crisis lines of their region are shown with step five without being
//! copied into it, so they stay current.

use serde::{Deserialize, Serialize};

use crate::db::now_ms;
use crate::on_db;
use crate::web::{AppError, CurrentUser};
use crate::{AppState, text};

/// Each step, at most (characters).
pub const STEP_MAX: usize = 2_000;

/// The steps, in order, by key (words in the locale files:
/// `plan-step-{key}` and `plan-step-{key}-hint`).
pub const STEPS: [&str; 6] = [
    "warning_signs",
    "coping",
    "distractions",
    "people",
    "professionals",
    "surroundings",
];

const PURPOSE: &str = "safety_plans.plan";

/// The plan: what the member wrote for each step (empty when not yet).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Plan {
    /// Thoughts, feelings or situations that tell a crisis may be coming.
    #[schema(max_length = 2000)]
    pub warning_signs: String,
    /// Things to do on one's own to feel a little better.
    #[schema(max_length = 2000)]
    pub coping: String,
    /// People and places that take one's mind off things.
    #[schema(max_length = 2000)]
    pub distractions: String,
    /// People to ask for help, and how to reach them.
    #[schema(max_length = 2000)]
    pub people: String,
    /// Professionals and services to call (the region's crisis lines are
    /// added when shown).
    #[schema(max_length = 2000)]
    pub professionals: String,
    /// Making one's surroundings safer.
    #[schema(max_length = 2000)]
    pub surroundings: String,
}

impl Plan {
    /// Each step's key and text, in order.
    pub fn steps(&self) -> [(&'static str, &str); 6] {
        [
            (STEPS[0], &self.warning_signs),
            (STEPS[1], &self.coping),
            (STEPS[2], &self.distractions),
            (STEPS[3], &self.people),
            (STEPS[4], &self.professionals),
            (STEPS[5], &self.surroundings),
        ]
    }

    fn steps_mut(&mut self) -> [&mut String; 6] {
        [
            &mut self.warning_signs,
            &mut self.coping,
            &mut self.distractions,
            &mut self.people,
            &mut self.professionals,
            &mut self.surroundings,
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.steps().iter().all(|(_, t)| t.is_empty())
    }
}

/// The plan as kept, with when it last changed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SavedPlan {
    pub plan: Plan,
    /// Epoch milliseconds; none before the first save.
    pub updated_at: Option<i64>,
}

fn check(mut plan: Plan) -> Result<Plan, AppError> {
    let mut errors = Vec::new();
    for (step, text) in STEPS.iter().zip(plan.steps_mut()) {
        match text::parse_text(text, 0, STEP_MAX, true, "error-plan-step") {
            Ok(clean) => *text = clean,
            Err(e) => errors.push((*step, e)),
        }
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// The member's plan (empty if they have not written one).
pub async fn get(state: &AppState, user: &CurrentUser) -> Result<SavedPlan, AppError> {
    let account = user.account.id;
    let row: Option<(Vec<u8>, i64)> = on_db!(&state.db, |pool| {
        sqlx::query_as("SELECT plan_sealed, updated_at FROM safety_plans WHERE account_id = $1")
            .bind(account)
            .fetch_optional(pool)
            .await
    })?;
    let Some((sealed, updated_at)) = row else {
        return Ok(SavedPlan {
            plan: Plan::default(),
            updated_at: None,
        });
    };
    let key = super::member_key(state, account).await?;
    let plan: Plan = super::open_json(&key, PURPOSE, &account.to_be_bytes(), account, &sealed)
        .ok_or_else(|| AppError::internal("damaged safety plan"))?;
    Ok(SavedPlan {
        plan,
        updated_at: Some(updated_at),
    })
}

/// Replaces the member's plan.
pub async fn save(state: &AppState, user: &CurrentUser, plan: Plan) -> Result<(), AppError> {
    let plan = check(plan)?;
    let account = user.account.id;
    let key = super::member_key(state, account).await?;
    let sealed = super::seal_json(&key, PURPOSE, &account.to_be_bytes(), &plan)?;
    on_db!(&state.db, |pool| {
        sqlx::query(
            "INSERT INTO safety_plans (account_id, plan_sealed, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id) DO UPDATE SET plan_sealed = excluded.plan_sealed, \
             updated_at = excluded.updated_at",
        )
        .bind(account)
        .bind(&sealed)
        .bind(now_ms())
        .execute(pool)
        .await
        .map(|_| ())
    })?;
    Ok(())
}
