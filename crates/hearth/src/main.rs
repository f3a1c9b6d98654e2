//! The `hearth` binary: parse the command line, load settings, and serve,
//! migrate or run an admin task.

use std::io::Read;
use std::process::ExitCode;

use clap::Parser;
use hearth::accounts::model::Role;
use hearth::accounts::service::{self, Registration, Secret};
use hearth::config::{
    AdminCommand, AuditCommand, Cli, Command, CrisisCommand, DevCommand, KeysCommand, LogFormat,
    MailCommand, Settings,
};
use hearth::web::AppError;
use hearth::{AppState, db::Db};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Crisis(command)) = &cli.command {
        return crisis_command(command);
    }
    let settings = match Settings::resolve(cli.config.as_deref(), cli.overrides) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("hearth: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(settings.log_format, settings.metrics_bind.is_some());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("hearth: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(settings).await,
            Command::Migrate => migrate(settings).await,
            Command::Admin(AdminCommand::Create { handle }) => create_admin(settings, handle).await,
            Command::Dev(DevCommand::Seed {
                groups,
                members,
                threads,
                replies,
                seed,
            }) => {
                dev_seed(
                    settings,
                    hearth::dev::Scale {
                        groups,
                        members,
                        threads,
                        replies,
                        seed,
                    },
                )
                .await
            }
            Command::Dev(DevCommand::ChatSeed { members, groups }) => {
                dev_chat_seed(settings, groups, members).await
            }
            Command::Dev(DevCommand::SessionSeed {
                participants,
                rooms,
            }) => dev_session_seed(settings, rooms, participants).await,
            // Answered above, before settings and the runtime.
            Command::Crisis(_) => Ok(()),
            Command::Audit(AuditCommand::Verify) => audit_verify(settings).await,
            Command::Keys(KeysCommand::Rotate) => keys_rotate(settings).await,
            Command::Backup {
                file,
                verify,
                passphrase_file,
            } => backup(settings, &file, verify, passphrase_file.as_deref()).await,
            Command::Mail(MailCommand::Test { address }) => mail_test(settings, &address).await,
            Command::Restore {
                file,
                force,
                passphrase_file,
            } => restore(settings, &file, force, passphrase_file.as_deref()).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("hearth: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The detector's commands need neither settings nor a database.
fn crisis_command(command: &CrisisCommand) -> ExitCode {
    let loaded = match command {
        // Training reads the rules alone: the model is what it makes.
        CrisisCommand::Train { .. } | CrisisCommand::Eval { cv: true, .. } => {
            crisis::Detector::shipped_rules().map_err(|e| e.to_string())
        }
        _ => crisis::Detector::shipped().map_err(|e| e.to_string()),
    };
    let detector = match loaded {
        Ok(d) => d,
        Err(e) => {
            eprintln!("hearth: the crisis detector does not load: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match command {
        CrisisCommand::Classify => {
            let stdin = std::io::stdin().lock();
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match hearth::safety::cli::classify(&detector, stdin, stdout) {
                Ok(0) => return ExitCode::SUCCESS,
                Ok(refused) => {
                    eprintln!(
                        "hearth: {refused} line(s) were not valid input; see their error lines"
                    );
                    return ExitCode::from(1);
                }
                Err(e) => Err(e.to_string()),
            }
        }
        CrisisCommand::Eval {
            cv: true,
            folds,
            root,
            ..
        } => hearth::safety::cli::cross_validate(&detector, root, *folds as usize),
        CrisisCommand::Eval {
            file: Some(file),
            mistakes,
            ..
        } => hearth::safety::cli::eval(&detector, file, *mistakes),
        CrisisCommand::Eval { file: None, .. } => Err("name a labelled file, or --cv".to_owned()),
        CrisisCommand::Train { root, out, check } => {
            hearth::safety::cli::train(&detector, root, out, *check)
        }
    };
    match result {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("hearth: {e}");
            ExitCode::from(2)
        }
    }
}

fn init_logging(format: LogFormat, time_statements: bool) {
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let filter = EnvFilter::try_from_env("HEARTH_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // axum logs each connection's peer address at trace level; client
    // addresses never go into Hearth's logs, whatever level is asked for.
    let filter = match "axum::serve=debug".parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => filter,
    };
    // Colours only for a person at a terminal: a log file or a collector
    // gets plain text (and `NO_COLOR` turns them off anywhere).
    use std::io::IsTerminal;
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let fmt = tracing_subscriber::fmt::layer()
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    let fmt = match format {
        LogFormat::Json => fmt.json().flatten_event(true).with_filter(filter).boxed(),
        LogFormat::Text => fmt.with_filter(filter).boxed(),
    };
    // With metrics on, sqlx's per-statement events (which carry their
    // time) reach the statement timer, and only it.
    let statements = time_statements.then(|| {
        hearth::metrics::StatementTimer.with_filter(
            tracing_subscriber::filter::Targets::new()
                .with_target("sqlx::query", tracing::Level::DEBUG),
        )
    });
    tracing_subscriber::registry()
        .with(fmt)
        .with(statements)
        .init();
}

async fn serve(settings: Settings) -> Result<(), String> {
    let bind = settings.bind;
    let public_url = settings.public_url.clone();
    let state = AppState::build(settings).await.map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(address = %local, database = ?state.db.backend(), "Hearth is listening");
    let mut metrics_local = None;
    if let Some(metrics_bind) = state.settings.metrics_bind {
        let metrics = tokio::net::TcpListener::bind(metrics_bind)
            .await
            .map_err(|e| format!("cannot listen for metrics on {metrics_bind}: {e}"))?;
        let address = metrics.local_addr().map_err(|e| e.to_string())?;
        tracing::info!(%address, "metrics at /metrics");
        metrics_local = Some(address);
        hearth::metrics::global().start_serving();
        let app = hearth::metrics::router(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics, app).await {
                tracing::warn!(error = %e, "the metrics listener stopped");
            }
        });
    }
    println!("Hearth is running at {public_url} (listening on {local}). Press Ctrl+C to stop.");
    if let Some(metrics) = metrics_local {
        println!("Metrics at http://{metrics}/metrics");
    }
    hearth::serve(listener, state.clone(), shutdown_signal())
        .await
        .map_err(|e| e.to_string())?;
    state.db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

async fn migrate(settings: Settings) -> Result<(), String> {
    hearth::secret::private_dir(&settings.data_dir).map_err(|e| e.to_string())?;
    let db = Db::connect(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    db.close().await;
    println!("Migrations applied.");
    Ok(())
}

async fn create_admin(settings: Settings, handle: String) -> Result<(), String> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let password = password.trim_end_matches(['\n', '\r']).to_owned();
    let state = AppState::build(settings).await.map_err(|e| e.to_string())?;
    let registration = Registration {
        handle,
        password: Secret(password),
        password_confirm: None,
        email: String::new(),
        age_bracket: "18+".into(),
        language: String::new(),
        invite: String::new(),
    };
    let tr = hearth::web::i18n::Tr(state.default_lang());
    let result = service::create_account(&state, &registration, Role::Admin).await;
    state.db.close().await;
    match result {
        Ok(account) => {
            println!("Admin {} created.", account.handle);
            Ok(())
        }
        Err(AppError::Validation(errors)) => Err(errors
            .iter()
            .map(|(field, id)| format!("{field}: {}", tr.t(id)))
            .collect::<Vec<_>>()
            .join("\n")),
        Err(e) => Err(format!("{e:?}")),
    }
}

async fn keys_rotate(settings: Settings) -> Result<(), String> {
    let db = Db::connect(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let rotated = async {
        db.migrate().await.map_err(|e| e.to_string())?;
        hearth::keys::rotate(&settings.data_dir, &db)
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    db.close().await;
    let members = rotated?;
    println!(
        "A new data key is in {}: the site key and {members} member keys are wrapped under it. Copy it to every node of the site before starting them.",
        settings.data_dir.join(hearth::crypto::KEY_FILE).display()
    );
    Ok(())
}

async fn audit_verify(settings: Settings) -> Result<(), String> {
    let db = Db::connect(&settings.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let verdict = hearth::safety::audit::verify(&db).await;
    db.close().await;
    let verdict = verdict.map_err(|e| e.to_string())?;
    match verdict.broken_at {
        None => {
            println!("The audit log is intact: {} rows.", verdict.rows);
            Ok(())
        }
        Some(seq) => Err(format!(
            "the audit log is broken at row {seq}: {}",
            verdict.problem.unwrap_or_default()
        )),
    }
}

async fn backup(
    settings: Settings,
    file: &std::path::Path,
    verify: bool,
    passphrase_file: Option<&std::path::Path>,
) -> Result<(), String> {
    use hearth::backup;
    let pass = backup::read_passphrase(passphrase_file, !verify)?;
    if verify {
        let verified = backup::verify(file, &pass).await?;
        println!(
            "The backup taken at {} ({} database, Hearth {}) restores:",
            hearth::web::time::display(verified.header.taken_at),
            verified.header.backend,
            verified.header.hearth_version
        );
        for check in verified.checks {
            println!("- {check}");
        }
        return Ok(());
    }
    let taken = backup::take(&settings, file, &pass).await?;
    println!(
        "Backed up to {} ({} bytes, {} database). Keep the passphrase apart from the file: without it nothing in the backup can be read.",
        file.display(),
        taken.bytes,
        backup::backend_word(taken.backend)
    );
    Ok(())
}

async fn restore(
    settings: Settings,
    file: &std::path::Path,
    force: bool,
    passphrase_file: Option<&std::path::Path>,
) -> Result<(), String> {
    let pass = hearth::backup::read_passphrase(passphrase_file, false)?;
    let restored = hearth::backup::restore(&settings, file, &pass, force).await?;
    println!(
        "Restored the backup taken at {} into {}. Start Hearth with the same settings to serve it.",
        hearth::web::time::display(restored.header.taken_at),
        settings.data_dir.display()
    );
    Ok(())
}

async fn mail_test(settings: Settings, address: &str) -> Result<(), String> {
    use hearth::mail;
    let state = AppState::build(settings).await.map_err(|e| e.to_string())?;
    let result = async {
        if !state.mail.enabled() {
            return Err("mail is off: set --mail-url and --mail-from (or mail_url and mail_from in the configuration file)".to_owned());
        }
        let site = hearth::site::name(&state);
        let message = mail::Outgoing {
            to: address.to_owned(),
            subject: format!("{site}: a test message"),
            body: format!(
                "This is a test message from {site} at {}. Mail from this server works.\n",
                state.settings.public_url
            ),
        };
        let id = mail::enqueue(&state, &message)
            .await
            .map_err(|e| format!("{e:?}"))?;
        let row = mail::store::waiting(&state.db, id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("the message was taken by a running server; see its log")?;
        match mail::attempt(&state, &row).await.map_err(|e| e.to_string())? {
            mail::Attempt::Sent => {
                println!("The mail server took the test message to {address}.");
                Ok(())
            }
            mail::Attempt::Retry(_, error) => Err(format!(
                "not sent: {error}. It stays queued, and a running server will try again."
            )),
            mail::Attempt::GaveUp(error) => Err(format!("not sent: {error}.")),
            mail::Attempt::NotMine => {
                println!("A running server took the test message; see its log.");
                Ok(())
            }
        }
    }
    .await;
    state.db.close().await;
    result
}

async fn dev_chat_seed(settings: Settings, groups: u32, members: u32) -> Result<(), String> {
    let state = AppState::build(settings).await.map_err(|e| e.to_string())?;
    let result = hearth::dev::chat_seed(&state, groups, members).await;
    state.db.close().await;
    println!(
        "{}",
        serde_json::to_string(&result?).map_err(|e| e.to_string())?
    );
    Ok(())
}

async fn dev_session_seed(settings: Settings, rooms: u32, participants: u32) -> Result<(), String> {
    let state = AppState::build(settings).await.map_err(|e| e.to_string())?;
    let result = hearth::dev::session_seed(&state, rooms, participants).await;
    state.db.close().await;
    println!(
        "{}",
        serde_json::to_string(&result?).map_err(|e| e.to_string())?
    );
    Ok(())
}

async fn dev_seed(settings: Settings, scale: hearth::dev::Scale) -> Result<(), String> {
    if scale.members < 2 || scale.groups < 1 || scale.threads < 1 {
        return Err("seed at least 2 members, 1 group and 1 thread".into());
    }
    let state = AppState::build(settings).await.map_err(|e| e.to_string())?;
    let result = hearth::dev::seed(&state, scale).await;
    state.db.close().await;
    let seeded = result?;
    println!(
        "{}",
        serde_json::to_string(&seeded).map_err(|e| e.to_string())?
    );
    Ok(())
}
