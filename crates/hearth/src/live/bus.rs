//! How nodes tell each other a room advanced. The message itself is never
//! on the bus: every node reads it from the shared database, in order, so
//! the bus can drop, repeat or reorder notices without losing anything
//! (a lost notice delays delivery until the next one, or the fan-out's
//! periodic check).

use futures_util::StreamExt;

use crate::AppState;

const SUBJECT_PREFIX: &str = "hearth.room.";

/// Connects to NATS and starts passing other nodes' notices to this node's
/// hub.
pub async fn connect(
    state: &AppState,
    url: &str,
) -> Result<async_nats::Client, async_nats::ConnectError> {
    let client = async_nats::ConnectOptions::new()
        .name("hearth")
        .retry_on_initial_connect()
        .connect(url)
        .await?;
    match client.subscribe(format!("{SUBJECT_PREFIX}*")).await {
        Ok(mut sub) => {
            let state = state.clone();
            tokio::spawn(async move {
                while let Some(msg) = sub.next().await {
                    if let Some(room) = msg
                        .subject
                        .strip_prefix(SUBJECT_PREFIX)
                        .and_then(|id| id.parse::<i64>().ok())
                    {
                        state.live.advanced(room);
                    }
                }
            });
        }
        Err(e) => tracing::warn!(error = %e, "cannot subscribe to the bus"),
    }
    Ok(client)
}

/// Tells this node's hub, and every other node, that the room advanced.
pub async fn room_advanced(state: &AppState, room: i64) {
    state.live.advanced(room);
    if let Some(client) = state.bus.get()
        && let Err(e) = client
            .publish(format!("{SUBJECT_PREFIX}{room}"), "".into())
            .await
    {
        tracing::warn!(room.id = room, error = %e, "bus notice not sent");
    }
}
